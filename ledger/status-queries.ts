/**
 * Aggregates for `licbridge status` and the `/metrics` endpoint. Deliveries, signatures and the
 * versions awaiting a signature are read from counts kept as the rows change (status-counts.ts,
 * migration 058): a row per group, however many versions the ledger holds. Quarantined rows by
 * reason are counted as pages commit (quarantine-reason-counts.ts). The run totals are a grouped
 * sum over `runs`, a row per run, not per version.
 *
 * The reads that depend on the time of the read cannot be kept: overdue deliveries (backlog.ts
 * `overdueDeliveries`) and overdue changes (deadlines.ts `overdueChanges`) read the open
 * deliveries only, through `deliveries_open_idx` (rows not accepted; migrations 033 and 059), so
 * their cost follows the open backlog, not the ledger's history. `overdueChanges` reads the
 * pipeline's versions too, but only while the kept counts say some have no delivery row at the
 * target (awaiting the seal, a target just added). The backlog's versions held behind a review
 * (backlog.ts `heldBehindReviewQuery`) are read from the reviews open at the target, through
 * `deliveries_open_idx`, then the later versions of their licenses and the renewals naming them
 * (through migration 057's predecessor index): their cost follows the open reviews. Still proportional to the pipeline's versions: the backlog's read while versions await
 * the seal (backlog-counts.ts `unsignedDeliveries`), which tells their deliveries apart: which
 * versions a seal has not signed is known only from `signatures`, so no index of `license_versions`
 * holds them.
 */
import { type Db, toInt } from './db.js';
import type { DeliveryRowState } from './ledger.js';
import { readStatusCounts } from './status-counts.js';

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
  // Attempts with the rounds a replay or a reopening put back (migration 048), as kept by
  // status-count-triggers.ts: counters never go down.
  const rows = await readStatusCounts(db, 'delivery_counts');
  return rows.map((r) => ({
    pipeline: String(r.pipeline),
    target: String(r.target),
    state: r.state as DeliveryRowState,
    count: Number(r.row_count),
    attempts: Number(r.attempts),
    retries: Number(r.retries),
  }));
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
  const rows = await readStatusCounts(db, 'signature_counts');
  return rows.map((r) => ({
    pipeline: String(r.pipeline),
    sealId: String(r.seal_id),
    count: Number(r.row_count),
  }));
}

/**
 * Versions of a pipeline that have no signature by the given seal yet: its versions less its
 * signatures by the seal, each version signed by a seal at most once (`signatures_pk`).
 */
export async function awaitingSignature(db: Db, pipeline: string, sealId: string): Promise<number> {
  const [versions, signed] = await Promise.all([
    readStatusCounts(db, 'version_counts', { pipeline }),
    readStatusCounts(db, 'signature_counts', { pipeline, seal_id: sealId }),
  ]);
  return Math.max(0, Number(versions[0]?.row_count ?? 0) - Number(signed[0]?.row_count ?? 0));
}
