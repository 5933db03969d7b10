/**
 * A run's progress: how many of its versions are created, signed, and at each target accepted,
 * dead, discarded or in review, counted from the prefix of versions a poll already found final
 * (`SettledPrefix`) so that a poll of a long run costs what changed since the last one.
 */
import type { Knex } from 'knex';
import { chunk, type Db, toInt } from './db.js';
import { whereHashedKey } from './hashed-keys.js';
import { heldVersionsAt } from './held-in-review.js';
import type { RunProgress } from './ledger.js';

/**
 * A run's versions whose delivery to `target` has ended: accepted, dead-lettered, or a dead letter
 * an operator discarded (`dlq discard`: handled without sending, its successors go). Counted
 * without the discarded ones, a run with one never became `done`.
 */
export function endedAt(p: RunProgress, target: string): number {
  return (p.delivered[target] ?? 0) + (p.dead[target] ?? 0) + (p.discarded[target] ?? 0);
}

/** The delivery states that end a version at a target (see `endedAt`). */
const ENDED = ['accepted', 'dead', 'discarded'] as const;

/**
 * What a run's progress poll already knows: every version of the run below `versionId` is signed by
 * the seal and, at every target, accepted, dead or discarded — `versions` of them, `dead` and
 * `discarded` naming those per target. A signature is never removed and an accepted delivery never
 * moves (delivery-outcomes.ts), so a poll counts only the versions from `versionId` on: counting
 * the whole run on every poll took 7 of a 100,000-license run's 110 seconds, and grew with the
 * square of its size. A dead letter can be replayed or discarded, and a discarded one accepted
 * after all: each poll checks that the prefix's dead letters are still dead and its discarded ones
 * still discarded, and counts the run whole again when one is not.
 */
export interface SettledPrefix {
  versionId: number;
  versions: number;
  dead: Map<string, number[]>;
  discarded: Map<string, number[]>;
}

export function emptyPrefix(): SettledPrefix {
  return { versionId: 0, versions: 0, dead: new Map(), discarded: new Map() };
}

export async function runProgress(
  db: Db,
  runId: string,
  sealId: string,
  targets: readonly string[],
  settled: SettledPrefix = emptyPrefix(),
): Promise<RunProgress> {
  return db.read('runProgress', async (k) => {
    if (!(await stillEnded(db, k, settled))) Object.assign(settled, emptyPrefix());
    // By the run's id through `license_versions_run_idx` (hashed-keys.ts on PostgreSQL).
    const ofRun = (alias: string) => (q: Knex.QueryBuilder) =>
      whereHashedKey(k, q, `${alias}.run_id`, runId).andWhere(`${alias}.version_id`, '>=', settled.versionId);
    // The prefix grows over the versions that became final since the last poll: up to the first
    // version still waiting for its signature or a target's outcome.
    const open: { id?: unknown } | undefined = await k('license_versions as v')
      .modify(ofRun('v'))
      .where((w) => {
        w.whereNotExists(function unsigned() {
          this.select(k.raw('1'))
            .from('signatures as s')
            .whereRaw('s.version_id = v.version_id')
            .andWhere('s.seal_id', sealId);
        });
        for (const t of targets) {
          w.orWhereNotExists(function unfinished() {
            this.select(k.raw('1'))
              .from('deliveries as d')
              .whereRaw('d.version_id = v.version_id')
              .andWhere('d.target', t)
              .whereIn('d.state', [...ENDED]);
          });
        }
      })
      .min({ id: 'v.version_id' })
      .first();
    const firstOpen = open?.id === null || open?.id === undefined ? undefined : toInt(open.id);
    const upToOpen = (q: Knex.QueryBuilder) =>
      firstOpen === undefined ? q : q.andWhere('v.version_id', '<', firstOpen);
    const nowFinal: { n?: unknown; last?: unknown } | undefined = await k('license_versions as v')
      .modify(ofRun('v'))
      .modify(upToOpen)
      .count({ n: '*' })
      .max({ last: 'v.version_id' })
      .first();
    const finalCount = toInt(nowFinal?.n ?? 0);
    if (finalCount > 0 && targets.length > 0) {
      const deadRows: { version_id: unknown; target: string; state: string }[] = await k('deliveries as d')
        .join('license_versions as v', 'v.version_id', 'd.version_id')
        .modify(ofRun('v'))
        .modify(upToOpen)
        .whereIn('d.target', [...targets])
        .whereIn('d.state', ['dead', 'discarded'])
        .select('d.version_id', 'd.target', 'd.state');
      for (const r of deadRows) {
        const map = r.state === 'dead' ? settled.dead : settled.discarded;
        const list = map.get(r.target) ?? [];
        list.push(toInt(r.version_id));
        map.set(r.target, list);
      }
    }
    if (finalCount > 0) {
      settled.versions += finalCount;
      settled.versionId = firstOpen ?? toInt(nowFinal?.last) + 1;
    }

    const created: { n?: unknown } | undefined = await k('license_versions as v')
      .modify(ofRun('v'))
      .count({ n: '*' })
      .first();
    // (version_id, seal_id) is the signatures' primary key: at most one row per version here.
    const signed: { n?: unknown } | undefined = await k('license_versions as v')
      .join('signatures as s', 's.version_id', 'v.version_id')
      .modify(ofRun('v'))
      .andWhere('s.seal_id', sealId)
      .count({ n: '*' })
      .first();
    const delivered: Record<string, number> = {};
    const dead: Record<string, number> = {};
    const discarded: Record<string, number> = {};
    const inReview: Record<string, number> = {};
    for (const t of targets) {
      const settledDead = settled.dead.get(t)?.length ?? 0;
      const settledDiscarded = settled.discarded.get(t)?.length ?? 0;
      delivered[t] = settled.versions - settledDead - settledDiscarded;
      dead[t] = settledDead;
      discarded[t] = settledDiscarded;
    }
    if (targets.length > 0) {
      const rows: { target: string; state: string; n: unknown }[] = await k('deliveries as d')
        .join('license_versions as v', 'v.version_id', 'd.version_id')
        .modify(ofRun('v'))
        .whereIn('d.target', [...targets])
        // `submitted` too: never in the settled prefix (it is not final), so counted whole here.
        .whereIn('d.state', [...ENDED, 'submitted'])
        .groupBy('d.target', 'd.state')
        .select('d.target', 'd.state')
        .count({ n: '*' });
      const counts = { accepted: delivered, dead, discarded, submitted: inReview } as Record<
        string,
        Record<string, number>
      >;
      for (const r of rows) {
        const into = counts[r.state];
        if (into) into[r.target] = (into[r.target] ?? 0) + toInt(r.n);
      }
      // Held behind an earlier version of their license still in review (held-in-review.ts): they
      // wait on that review too. Only past the settled prefix, where versions are still open, and
      // only once every version is signed and some are neither ended nor submitted at the target:
      // before that, the count tells nothing (run-review.ts), and a poll probes no license for it.
      const total = settled.versions + toInt(created?.n ?? 0);
      const allSigned = settled.versions + toInt(signed?.n ?? 0) >= total;
      if (firstOpen !== undefined && allSigned)
        for (const t of targets) {
          const ended = (delivered[t] ?? 0) + (dead[t] ?? 0) + (discarded[t] ?? 0);
          if (ended + (inReview[t] ?? 0) >= total) continue;
          // Nothing in review at the target (the common case, a platform that answers at once): no
          // version can be held behind a review, and the versions still open are not probed each
          // poll. One index entry by target and state says so (deliveries_open_idx on PostgreSQL).
          const reviewing = await k('deliveries')
            .select(k.raw('1'))
            .where({ target: t, state: 'submitted' })
            .first();
          if (reviewing === undefined) continue;
          // The versions the open reviews hold (held-in-review.ts), of the run's still open: one walk
          // from the reviews, not one back from each open version of the run (PostgreSQL ran that
          // walk per version: a poll of 50,000 versions, 1 in 20 in review, took 1.9-2.6 s, now 0.5-1.1).
          const count = heldVersionsAt(k, t)
            .modify(ofRun('v'))
            .andWhere('v.version_id', '>=', firstOpen)
            .whereNotExists(function endedOrSubmitted() {
              this.select(k.raw('1'))
                .from('deliveries as d')
                .whereRaw('d.version_id = v.version_id')
                .andWhere('d.target', t)
                .whereIn('d.state', [...ENDED, 'submitted']);
            })
            .count('*');
          // A scalar subquery, so the statement begins with `select`, as backlog.ts's.
          const held: { n?: unknown } | undefined = await k.select(k.raw('(?) as n', [count])).first();
          const n = toInt(held?.n ?? 0);
          if (n > 0) inReview[t] = (inReview[t] ?? 0) + n;
        }
    }
    return {
      created: settled.versions + toInt(created?.n ?? 0),
      signed: settled.versions + toInt(signed?.n ?? 0),
      delivered,
      dead,
      discarded,
      ...(Object.keys(inReview).length > 0 ? { inReview } : {}),
    };
  });
}

/**
 * Whether the prefix's dead letters are all still dead (none replayed or discarded since) and its
 * discarded ones still discarded (none accepted after all).
 */
async function stillEnded(db: Db, k: Knex | Knex.Transaction, settled: SettledPrefix): Promise<boolean> {
  const lists = [
    ...[...settled.dead].map(([target, ids]) => ({ target, ids, state: 'dead' })),
    ...[...settled.discarded].map(([target, ids]) => ({ target, ids, state: 'discarded' })),
  ];
  for (const { target, ids, state } of lists) {
    let found = 0;
    for (const part of chunk(ids, db.maxParams - 2)) {
      const row: { n?: unknown } | undefined = await k('deliveries')
        .where({ target, state })
        .whereIn('version_id', part)
        .count({ n: '*' })
        .first();
      found += toInt(row?.n ?? 0);
    }
    if (found !== ids.length) return false;
  }
  return true;
}
