import { CRON_PATTERN, closed, int, type Schema, str } from './builders.js';
import { reminders } from './reminders.js';

/** The `lifecycle` section: the clock that moves licenses when their dates pass (docs/lifecycle.md). */
export const lifecycle: Schema = {
  ...closed('The license lifecycle clock: derived expiry and the daily tick (docs/lifecycle.md).', {
    timeZone: {
      type: 'string',
      default: 'Asia/Shanghai',
      pattern: '^[A-Za-z][A-Za-z0-9_+-]*(/[A-Za-z0-9_+-]+)*$',
      description:
        'IANA time zone whose calendar day is "today": a license whose `validTo` is before that day is `expired` (pipelines with `expiry: true`); a mapping takes the day of a zoned instant there (`before`/`after`, and the `date` transform unless its `zone` names another); and a license file\'s creation date is its signing day there, e.g. `Asia/Shanghai`, `Asia/Urumqi`.',
    },
    schedule: str(
      "Cron expression of the daily tick (`licbridge lifecycle run`), registered by `licbridge schedule` and worked by `licbridge worker`. Cron times are read in `timeZone`, whatever the host's zone: keep the tick shortly after midnight.",
      { pattern: CRON_PATTERN, default: '5 0 * * *' },
    ),
    pageSize: int('Licenses expired per ledger transaction by the tick.', 1, 10_000, { default: 500 }),
    reminders,
  }),
  default: {},
};
