// biome-ignore-all lint/suspicious/noTemplateCurlyInString: `${env:…}` and `${file:…}` are config reference syntax, not template slips.
import { CRON_PATTERN, closed, int, type Schema, str } from './builders.js';

/** The `reconcile` section: consistency checks between source, ledger and platforms. */
export const reconcile: Schema = {
  ...closed('Consistency checks between each source, the ledger and each platform (`licbridge reconcile`).', {
    deletedAtSource: {
      type: 'string',
      enum: ['revoke', 'cancel', 'flag'],
      default: 'flag',
      description:
        'What a repair does to a license whose source row is gone (hard deletes are invisible to cursor sync): `revoke` or `cancel` issues a new version with that status, unless the license is already revoked, cancelled or withdrawn (it keeps its ending); `flag` only reports it.',
    },
    unknownAtPlatform: {
      type: 'string',
      enum: ['revoke', 'flag'],
      default: 'flag',
      description:
        "What a repair does to a license of the pipeline's type and issuer the platform holds but the ledger does not know: `revoke` adopts it into the ledger (once, after the highest version any target holds) and delivers its revocation; `flag` only reports it. Under `revoke`, one the platform shows ended already (cancelled, withdrawn, revoked) is adopted with its ending, never revoked; one the ledger holds under a pipeline no longer in the config or no longer delivering to that platform, one whose source row the same check found missed (the re-read issues it again), and one the platform's look-up does not give back are only flagged.",
    },
    afterRun: {
      type: 'string',
      enum: ['light', 'none'],
      default: 'light',
      description:
        'Check after each run: `light` compares counts and key sets of source and ledger (no mapping, no platform calls); `none` skips it.',
    },
    schedule: str(
      'Cron expression of the full check (all kinds, every target) for `licbridge schedule`, e.g. `0 2 * * *`.',
      {
        pattern: CRON_PATTERN,
        default: '0 2 * * *',
      },
    ),
    buckets: int(
      'Buckets the key space is split into; differing buckets are the only ones read in detail.',
      16,
      1_048_576,
      {
        default: 4096,
      },
    ),
    sample: int('Differing licenses listed in a report (all are counted).', 0, 100_000, { default: 50 }),
    pageSize: int(
      'Licenses per page when walking the ledger (memory holds a page): its area counts, the light check, a full check of a source without bucket digests, and beside a platform listing.',
      10,
      10_000,
      {
        default: 500,
      },
    ),
    timeZone: {
      type: 'string',
      default: 'Asia/Shanghai',
      pattern: '^[A-Za-z][A-Za-z0-9_+-]*(/[A-Za-z0-9_+-]+)*$',
      description:
        'IANA time zone of the times shown in reconcile reports and the quarantine worklist (people read local time), e.g. `Asia/Shanghai`, `Asia/Urumqi`.',
    },
    maxRepairShare: {
      type: 'number',
      minimum: 0,
      maximum: 1,
      default: 0.05,
      description:
        "Largest share of a pipeline's licenses a repair may revoke, cancel or re-deliver without a person naming the number (`reconcile --repair --yes --allow-mass N`); a check that finds more of the ledger deleted at the source than this share says the source needs a look (an emptied table or view, a folder of exports moved away). 0.05 is 5 %.",
    },
  }),
  default: {},
};
