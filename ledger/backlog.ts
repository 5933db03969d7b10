/**
 * What a pipeline still owes, whichever run created it: versions its seal has not signed, and
 * signed versions without a final delivery at a target. A run that died leaves exactly this
 * behind, and the next `licbridge run` works it off (pipelines/sweep.ts).
 */
import type { Knex } from 'knex';
import { FINAL_DELIVERY_STATES, keptBacklog } from './backlog-counts.js';
import { type Db, toInt } from './db.js';
import { clockAtRead } from './db-clock.js';
import { whereHashedKey } from './hashed-keys.js';
import { heldVersionsAt } from './held-in-review.js';
import type { OverdueDeliveries, PipelineBacklog } from './ledger.js';
import { freshenStatistics } from './pg-statistics.js';

export { FINAL_DELIVERY_STATES };

/** The tables the backlog queries join whole (see pg-statistics.ts). */
const BACKLOG_TABLES = ['license_versions', 'signatures', 'deliveries'];

/** Versions of `pipeline` signed by `sealId` with no final delivery at `target`. */
function undeliveredQuery(k: Knex, pipeline: string, sealId: string, target: string) {
  return k('license_versions as v')
    .join('signatures as s', function signed() {
      this.on('s.version_id', '=', 'v.version_id').andOn('s.seal_id', '=', k.raw('?', [sealId]));
    })
    .modify((q) => whereHashedKey(k, q, 'v.pipeline', pipeline))
    .whereNotExists(function final() {
      this.select(k.raw('1'))
        .from('deliveries as d')
        .whereRaw('d.version_id = v.version_id')
        .andWhere('d.target', target)
        .whereIn('d.state', [...FINAL_DELIVERY_STATES]);
    });
}

/**
 * How many versions of `pipeline` signed by `sealId`, neither final nor `submitted` at `target`,
 * are held behind a review there (held-in-review.ts): behind an earlier version of their license in
 * review, or, their license continuing another (a renewal, change or transfer-in), behind the
 * review of the version its first version names. As a query answering `n`: the versions reached
 * from the reviews open at the target (held-in-review.ts `heldVersionsAt`), those of the pipeline
 * signed by the seal and neither final nor in review themselves.
 */
export function heldBehindReviewQuery(k: Knex, pipeline: string, sealId: string, target: string) {
  const count = heldVersionsAt(k, target)
    .join('signatures as s', function signed() {
      this.on('s.version_id', '=', 'v.version_id').andOn('s.seal_id', '=', k.raw('?', [sealId]));
    })
    .modify((q) => whereHashedKey(k, q, 'v.pipeline', pipeline))
    .whereNotExists(function finalOrInReview() {
      this.select(k.raw('1'))
        .from('deliveries as d')
        .whereRaw('d.version_id = v.version_id')
        .andWhere('d.target', target)
        .whereIn('d.state', [...FINAL_DELIVERY_STATES, 'submitted']);
    })
    .count('*');
  // One walk for every review, not one per review: PostgreSQL ran the walk of a correlated
  // subquery once per review, and a plan costed so (per review) past jit_above_cost was compiled
  // for seconds before it ran. A scalar subquery, so the statement begins with `select`.
  return k.select(k.raw('(?) as n', [count]));
}

export async function pipelineBacklog(
  db: Db,
  pipeline: string,
  sealId: string,
  targets: readonly string[],
): Promise<PipelineBacklog> {
  // The unsigned, the undelivered and those in review from the kept counts (backlog-counts.ts).
  const { unsigned, undelivered, submitted, reviews } = await keptBacklog(db, pipeline, sealId, targets);
  const inReview: Record<string, number> = {};
  for (const target of targets) {
    const n = submitted[target] ?? 0;
    // Held behind an earlier version of their license in review, or the review of the license
    // theirs continues: they wait on that review too (held-in-review.ts). Read only where something
    // owed is not in review itself and a review is open at the target, from the open reviews
    // (heldBehindReviewQuery), not the pipeline's versions. Any pipeline's review: a renewal waits
    // on the license it continues whatever pipeline wrote that (ledger/delivery-order.ts), so one
    // whose pipeline has no review of its own is held all the same.
    const heldMayBe =
      n < (undelivered[target] ?? 0) &&
      ((reviews[target] ?? 0) > 0 || (await anyOpenAt(db, target, 'submitted')));
    if (heldMayBe) await freshenStatistics(db, BACKLOG_TABLES);
    const held = heldMayBe
      ? await db.read('pipelineBacklog', async (k) => {
          const row: { n?: unknown } | undefined = await heldBehindReviewQuery(
            k,
            pipeline,
            sealId,
            target,
          ).first();
          return toInt(row?.n ?? 0);
        })
      : 0;
    if (n + held > 0) inReview[target] = n + held;
  }
  return { unsigned, undelivered, ...(Object.keys(inReview).length > 0 ? { inReview } : {}) };
}

/**
 * Whether any delivery at `target`, of whichever pipeline, is in `state` (in review, `submitted`;
 * dead, ./dead-successors.ts): one entry of `deliveries_open_idx` (migrations 033 and 059).
 * `state <> 'accepted'`: the index's condition as written, for SQLite's planner to take it.
 */
export async function anyOpenAt(db: Db, target: string, state: 'submitted' | 'dead'): Promise<boolean> {
  return db.read(state === 'dead' ? 'anyDeadAt' : 'anyReviewAt', async (k) => {
    const row = await k('deliveries')
      .select(k.raw('1'))
      .where('target', target)
      .andWhereRaw(`state <> 'accepted'`)
      .andWhere('state', state)
      .first();
    return row !== undefined;
  });
}

export async function undeliveredVersionIds(
  db: Db,
  options: { pipeline: string; sealId: string; target: string; limit: number },
): Promise<number[]> {
  await freshenStatistics(db, BACKLOG_TABLES);
  return db.read('undeliveredVersionIds', async (k) => {
    const rows: { version_id: unknown }[] = await undeliveredQuery(
      k,
      options.pipeline,
      options.sealId,
      options.target,
    )
      // A delivery leased by a live sender is its business; one whose lease ran out is taken up.
      // By the ledger's clock (db-clock.ts), as the senders' claims judge it, not this host's.
      .whereNotExists(function leased() {
        this.select(k.raw('1'))
          .from('deliveries as d2')
          .whereRaw('d2.version_id = v.version_id')
          .andWhere('d2.target', options.target)
          .andWhere('d2.claimed_until', '>', clockAtRead(db, k));
      })
      .select('v.version_id')
      .orderBy('v.version_id')
      .limit(options.limit);
    return rows.map((r) => toInt(r.version_id));
  });
}

/**
 * When each open delivery (`d`, of version `v`) was last opened, as SQL: when its current round
 * began (`opened_at`, written by a replay or a repair's reopening, migration 050), else its latest
 * replay (`dead_letter_actions`: one made before that migration), else when its row was written. A replay starts a fresh round, so one an
 * operator has just made is no delivery left waiting; `updated_at` cannot serve, as every attempt
 * writes it and a delivery failing for days would never be overdue. A replay logged before the row
 * was written is of no round of it. The action names the delivery by its key,
 * `<license_id>:<version>:<target>` (rows.ts `deliveryKey`), found on `dead_letter_actions_key_idx`.
 */
const OPENED_AT = `coalesce(d.opened_at, (select max(a.created_at) from dead_letter_actions a
    where a.delivery_key = v.license_id || ':' || v.version || ':' || d.target
      and a.action = 'replay' and a.created_at > d.created_at), d.created_at)`;

export async function overdueDeliveries(db: Db, target: string, before: Date): Promise<OverdueDeliveries[]> {
  return db.read('overdueDeliveries', async (k) => {
    const at = before.toISOString();
    // Opened no earlier than written: the rows written before `before` (deliveries_open_idx,
    // migrations 033 and 059) are the only ones that may be, and only they are looked up in the
    // actions. `state <> 'accepted'`: the index's condition as written, a literal, for SQLite's
    // planner to take the partial index (it infers nothing from the IN).
    const open = k('deliveries as d')
      .join('license_versions as v', 'v.version_id', 'd.version_id')
      .where('d.target', target)
      .andWhereRaw(`d.state <> 'accepted'`)
      .whereIn('d.state', ['pending', 'submitted'])
      .andWhere('d.created_at', '<', at)
      .select('v.pipeline as pipeline', k.raw(`${OPENED_AT} as opened_at`))
      .as('o');
    const rows: { pipeline: string; n: unknown; oldest: unknown }[] = await k
      .from(open)
      .where('o.opened_at', '<', at)
      .groupBy('o.pipeline')
      .select('o.pipeline as pipeline')
      .count({ n: '*' })
      .min({ oldest: 'o.opened_at' });
    return rows.map((r) => ({
      pipeline: r.pipeline,
      target,
      count: toInt(r.n),
      oldest: r.oldest instanceof Date ? r.oldest : new Date(String(r.oldest)),
    }));
  });
}
