/** The `lifecycle` section as the tick reads it: every field set, from the schema's defaults when the config has no section. */
import { lifecycle as lifecycleSchema } from '../../config/schema/lifecycle.js';
import { withSchemaDefaults } from '../../config/schema-defaults.js';
import type { Config, LifecycleConfig } from '../../config/types.js';
import { ErrorCodes, LicbridgeError } from '../../core/errors.js';
import { localDate, parseIsoDate } from '../../core/local-date.js';
import { assertTimeZone } from '../../core/time-zone.js';

export interface LifecycleSettings {
  timeZone: string;
  schedule: string;
  pageSize: number;
}

/**
 * A loaded config always holds the section (its schema default is `{}`); a config built in code
 * may leave it out, and gets the same values here, from the same schema.
 */
export function lifecycleSettings(config: Pick<Config, 'lifecycle'>): LifecycleSettings {
  const l = withSchemaDefaults(lifecycleSchema, config.lifecycle ?? {}) as LifecycleConfig;
  return { timeZone: l.timeZone, schedule: l.schedule, pageSize: l.pageSize };
}

/**
 * Today for derived expiry. `LICBRIDGE_TODAY` (`YYYY-MM-DD`) pins it for a whole process — demos
 * and tests that must see a fixed day; without it, the wall-clock date in `lifecycle.timeZone`.
 *
 * Given the ledger's time (a page's commit asks so, ledger/commit-page.ts), it answers that time's
 * day, and from then on tells the day by this host's clock moved by how far it was off the
 * ledger's: a page the commit refused as mapped on another day (a host behind at midnight) is
 * mapped again on the ledger's day, the tick's, not on the host's day before until its clock has
 * turned too. Pinned, the pin wins.
 */
export function lifecycleToday(
  config: Pick<Config, 'lifecycle'> & { readonly file?: string },
): (ledgerNow?: Date) => string {
  const zone = lifecycleSettings(config).timeZone;
  // Checked once, here, with today pinned too: the mapper takes an instant's day in this zone, and
  // a zone Intl does not know would otherwise fail inside every row's mapping.
  assertTimeZone(zone, 'lifecycle.timeZone', config.file);
  const pinned = pinnedToday();
  if (pinned) return () => pinned;
  /** The ledger's clock minus this host's, as last told; 0 until told. */
  let offsetMs = 0;
  return (ledgerNow) => {
    if (ledgerNow === undefined) return localDate(zone, new Date(Date.now() + offsetMs));
    offsetMs = ledgerNow.getTime() - Date.now();
    return localDate(zone, ledgerNow);
  };
}

/** `LICBRIDGE_TODAY` when it pins today for the process, checked; undefined when it is not set. */
export function pinnedToday(): string | undefined {
  const pinned = process.env.LICBRIDGE_TODAY;
  if (!pinned) return undefined;
  if (!parseIsoDate(pinned)) {
    throw new LicbridgeError(
      ErrorCodes.USAGE,
      `lifecycle: LICBRIDGE_TODAY: expected a date YYYY-MM-DD, got \`${pinned}\``,
    );
  }
  return pinned;
}

/**
 * The day a deadline is judged on: the day a person names (`--today`), else the pinned
 * `LICBRIDGE_TODAY`, else the day of `now` (the moment a caller such as `status` took for its whole
 * report) or of the wall clock, in `lifecycle.timeZone`. The pin comes before `now`: a caller's
 * `now` is the wall clock, and a pinned demo must see the same day in `status` as in
 * `lifecycle run`.
 */
export function judgedToday(
  config: Pick<Config, 'lifecycle'>,
  options: { today?: string; now?: Date } = {},
): string {
  if (options.today) return options.today;
  const pinned = pinnedToday();
  if (pinned) return pinned;
  return options.now ? localDate(lifecycleSettings(config).timeZone, options.now) : lifecycleToday(config)();
}
