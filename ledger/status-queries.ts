/**
 * Read-only aggregates for `licbridge status` and the `/metrics` endpoint. Every query here is a
 * grouped count over indexed columns, so a scrape costs a few statements however big the ledger
 * grows; quarantined rows by reason are counted as pages commit (quarantine-reason-counts.ts).
 */
import { type Db, toInt } from './db.js';
import { whereHashedKey } from './hashed-keys.js';
import type { DeliveryRowState } from './ledger.js';

/** Deliveries of one (pipeline, target, state), with the attempts they took. */
export interface DeliveryCount {
  pipeline: string;
  target: string;
  state: DeliveryRowState;
  count: number;
  /** Sum of attempts over these deliveries, rounds put back by a replay or a reopening included. */
  attempts: number;
  /** Attempts beyond the first of each round, summed. */
  retries: number;
}

/** What every run of one pipeline added up to. */
export interface RunTotals {
  pipeline: string;
  runs: number;
  /** Runs ended `failed` or ever ended `abandoned` (taken up again later or not): each once. */
  failedRuns: number;
  read: number;
  created: number;
  unchanged: number;
  quarantined: number;
}

export interface SignatureCount {
  pipeline: string;
  sealId: string;
  count: number;
}

export async function deliveryCounts(db: Db): Promise<DeliveryCount[]> {
  return db.read('deliveryCounts', async (k) => {
    const rows: { pipeline: string; target: string; state: string; n: unknown; a: unknown; r: unknown }[] =
      await k('deliveries as d')
        .join('license_versions as v', 'v.version_id', 'd.version_id')
        .groupBy('v.pipeline', 'd.target', 'd.state')
        .select('v.pipeline as pipeline', 'd.target as target', 'd.state as state')
        .count({ n: '*' })
        // With the rounds a replay or a reopening put back (migration 048): counters never go down.
        // Null is no round carried (PostgreSQL, migration 051).
        .select(k.raw('sum(d.attempts + coalesce(d.carried_attempts, 0)) as a'))
        .select(
          k.raw(
            'sum(coalesce(d.carried_retries, 0) + (case when d.attempts > 1 then d.attempts - 1 else 0 end)) as r',
          ),
        );
    return rows.map((r) => ({
      pipeline: r.pipeline,
      target: r.target,
      state: r.state as DeliveryRowState,
      count: toInt(r.n),
      attempts: toInt(r.a ?? 0),
      retries: toInt(r.r ?? 0),
    }));
  });
}

export async function runTotals(db: Db): Promise<RunTotals[]> {
  return db.read('runTotals', async (k) => {
    const rows: Record<string, unknown>[] = await k('runs')
      .groupBy('pipeline')
      .select('pipeline')
      .count({ runs: '*' })
      // An abandoned run did not finish its work either; `abandoned_at` stays when it is taken up
      // again, so the count never goes down (migration 045). The state counts too: a process of
      // the previous release still running after the upgrade ends a run abandoned without it.
      .select(
        k.raw(
          "sum(case when state in ('failed', 'abandoned') or abandoned_at is not null then 1 else 0 end) as failed",
        ),
      )
      .sum({ read: 'read_count', created: 'created_count' })
      .sum({ unchanged: 'unchanged_count', quarantined: 'quarantined_count' });
    return rows.map((r) => ({
      pipeline: String(r.pipeline),
      runs: toInt(r.runs),
      failedRuns: toInt(r.failed ?? 0),
      read: toInt(r.read ?? 0),
      created: toInt(r.created ?? 0),
      unchanged: toInt(r.unchanged ?? 0),
      quarantined: toInt(r.quarantined ?? 0),
    }));
  });
}

export async function signatureCounts(db: Db): Promise<SignatureCount[]> {
  return db.read('signatureCounts', async (k) => {
    const rows: { pipeline: string; seal_id: string; n: unknown }[] = await k('signatures as s')
      .join('license_versions as v', 'v.version_id', 's.version_id')
      .groupBy('v.pipeline', 's.seal_id')
      .select('v.pipeline as pipeline', 's.seal_id as seal_id')
      .count({ n: '*' });
    return rows.map((r) => ({ pipeline: r.pipeline, sealId: r.seal_id, count: toInt(r.n) }));
  });
}

/** Versions of a pipeline that have no signature by the given seal yet. */
export async function awaitingSignature(db: Db, pipeline: string, sealId: string): Promise<number> {
  return db.read('awaitingSignature', async (k) => {
    const row: { n?: unknown } | undefined = await k('license_versions as v')
      .modify((q) => whereHashedKey(k, q, 'v.pipeline', pipeline))
      .whereNotExists(function unsigned() {
        this.select(k.raw('1'))
          .from('signatures as s')
          .whereRaw('s.version_id = v.version_id')
          .andWhere('s.seal_id', sealId);
      })
      .count({ n: '*' })
      .first();
    return toInt(row?.n ?? 0);
  });
}
