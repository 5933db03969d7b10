/**
 * The backlog deadline's query (rules art. 10: issuing, revoking and updating are completed
 * within 3 working days). A version is owed to a target until the platform accepted it; the clock
 * starts when licbridge read the change (the version's `created_at`). The working-day arithmetic
 * that turns "N working days" into the `createdBefore` instant lives in pipelines/lifecycle; this
 * file only counts.
 *
 * A version stops being owed when its delivery is `accepted`, when an operator `discarded` it
 * (a decision a person made and the audit chain recorded), or when a later version of the same
 * license was accepted: the platform then shows the license as it is now, which is what the rule
 * asks for. A delivery a repair held back as answered a duplicate (`duplicate_repair`, migration
 * 034) is accepted in name only: the platform shows an older version, so its version stays owed,
 * counted from when it was read, until a resend the platform takes.
 *
 * Read from what is open, not from the pipeline's versions (which, anti-joined with the settled
 * deliveries, read every version the pipeline ever had: 0.9 s at 500,000): a version owed has a
 * delivery at the target that is not accepted (`deliveries_open_idx`, migrations 033 and 059),
 * or one held as a duplicate (`deliveries_held_duplicates_idx`, migration 040), or none at
 * all. The last are counted from the kept counts (status-counts.ts, one delivery per version and
 * target): the pipeline's versions less its deliveries at the target. None once a run's signing
 * is done; only while some versions have no delivery row yet (awaiting the seal, or a target added
 * to the pipeline) are the pipeline's versions read, as before.
 */
import type { Knex } from 'knex';
import { type Db, toDate, toInt } from './db.js';
import { whereHashedKey } from './hashed-keys.js';
import { readStatusCounts } from './status-counts.js';

export interface OverdueChanges {
  pipeline: string;
  target: string;
  count: number;
  /** When the oldest overdue change was read; `null` when there is none. */
  oldest: Date | null;
}

export async function overdueChanges(
  db: Db,
  query: { pipeline: string; target: string; createdBefore: Date },
): Promise<OverdueChanges> {
  const withoutDelivery = await versionsWithoutDelivery(db, query.pipeline, query.target);
  return db.read('overdueChanges', async (k) => {
    const before = query.createdBefore.toISOString();
    const pg = db.dialect === 'postgres';
    // The open deliveries at the target: any state but accepted and discarded, and those two only
    // when held as a duplicate. Each branch names its index's condition as written, a literal, not a
    // bound value: SQLite's planner takes a partial index only so (it infers nothing from an IN).
    const open = k
      .unionAll([
        k('deliveries as d')
          .select('d.version_id')
          .where('d.target', query.target)
          .andWhereRaw(`d.state <> 'accepted'`)
          .andWhere('d.state', '<>', 'discarded'),
        k('deliveries as d')
          .select('d.version_id')
          .whereNotNull('d.duplicate_repair')
          // On SQLite `+`: no index on these, so the held duplicates' is read (a handful), not the
          // target's every accepted delivery through `deliveries_target_state_idx`.
          .whereRaw(`${pg ? '' : '+'}d.target = ?`, [query.target])
          .whereRaw(`${pg ? '' : '+'}d.state in ('accepted', 'discarded')`),
      ])
      .as('o');
    const owed = (q: Knex.QueryBuilder) =>
      q
        .modify((b) => whereHashedKey(k, b, 'v.pipeline', query.pipeline))
        .andWhere('v.created_at', '<', before)
        .whereNotExists(supersededAndAccepted(k, query.target))
        .select('v.created_at');
    // From the open deliveries to their versions: SQLite's CROSS JOIN keeps that order, where its
    // planner read the pipeline's versions by `license_versions_pipeline_idx` and looked each up in
    // the open ones (as many reads as the pipeline has versions).
    const fromOpen = pg
      ? k.from(open).join('license_versions as v', 'v.version_id', 'o.version_id')
      : k.from(open).crossJoin('license_versions as v', 'v.version_id', 'o.version_id');
    // With versions lacking a delivery row, the pipeline's versions are read whole, as before: in
    // one pass, which at 500,000 versions is cheaper than the open deliveries and that pass apart.
    const source =
      withoutDelivery > 0
        ? owed(k('license_versions as v')).whereNotExists(function settled() {
            this.select(k.raw('1'))
              .from('deliveries as d')
              .whereRaw('d.version_id = v.version_id')
              .andWhere('d.target', query.target)
              .whereIn('d.state', ['accepted', 'discarded'])
              .whereNull('d.duplicate_repair');
          })
        : owed(fromOpen);
    const row: { n?: unknown; oldest?: unknown } | undefined = await k
      .from(source.as('w'))
      .count({ n: '*' })
      .min({ oldest: 'w.created_at' })
      .first();
    const count = toInt(row?.n ?? 0);
    return {
      pipeline: query.pipeline,
      target: query.target,
      count,
      oldest: count > 0 && row?.oldest != null ? toDate(row.oldest) : null,
    };
  });
}

/** `whereNotExists` body: a later version of `v`'s license was accepted at `target`, not as a duplicate. */
function supersededAndAccepted(k: Knex, target: string) {
  return function superseded(this: Knex.QueryBuilder) {
    this.select(k.raw('1'))
      .from('license_versions as v2')
      .join('deliveries as d2', 'd2.version_id', 'v2.version_id')
      .whereRaw('v2.license_id = v.license_id')
      .andWhereRaw('v2.version > v.version')
      .andWhere('d2.target', target)
      .andWhere('d2.state', 'accepted')
      .whereNull('d2.duplicate_repair');
  };
}

/**
 * The pipeline's versions with no delivery row at `target`, from the kept counts: its versions less
 * its deliveries there (one per version and target). Deliveries are read first, so a version
 * written and given its delivery between the two reads counts as without one (read whole, below),
 * never the reverse.
 */
async function versionsWithoutDelivery(db: Db, pipeline: string, target: string): Promise<number> {
  const deliveries = await readStatusCounts(db, 'delivery_counts', { pipeline, target });
  const versions = await readStatusCounts(db, 'version_counts', { pipeline });
  const delivered = deliveries.reduce((n, r) => n + Number(r.row_count), 0);
  return Number(versions[0]?.row_count ?? 0) - delivered;
}
