/**
 * Runs, checkpoints and a run's quarantine (its progress: run-progress.ts). A run's counts are only
 * ever incremented inside `commitPage`'s transaction, so they always match what the ledger holds
 * for the run.
 */
import type { Knex } from 'knex';
import type { Checkpoint } from '../core/checkpoint.js';
import { ErrorCodes, LicbridgeError } from '../core/errors.js';
import { type Db, nowIso, parseJson, toInt, truncate } from './db.js';
import { clockNow, withReadAt } from './db-clock.js';
import { whereHashedKey } from './hashed-keys.js';
import type { FinishedRun, QuarantineReason, RunOutcome, StoredRun } from './ledger.js';
import { type RunRow, toRun } from './rows.js';
import { endedAt, runProgress } from './run-progress.js';

export async function startRun(
  db: Db,
  input: { runId: string; pipeline: string; mode: 'incremental' | 'full'; owner?: string },
): Promise<void> {
  await db.write('startRun', async (trx) => {
    const now = nowIso();
    // A retried start job finds its run already there and leaves it as it is.
    await trx('runs')
      .insert({
        run_id: input.runId,
        pipeline: input.pipeline,
        mode: input.mode,
        state: 'running',
        started_at: now,
        ...(input.owner ? { owner: input.owner, heartbeat_at: clockNow(db, trx) } : {}),
      })
      .onConflict('run_id')
      .ignore();
    if (input.owner) {
      // A retried extract job on another worker takes the run over, even one marked abandoned
      // when its first worker died: the run is alive again. It still counts in runs_failed_total:
      // a run a process of the release before migration 045 ended abandoned has no abandoned_at,
      // and counted by its state alone it dropped out of the counter once taken up again.
      await trx('runs')
        .where({ run_id: input.runId })
        .whereIn('state', ['running', 'abandoned'])
        .update({
          state: 'running',
          owner: input.owner,
          heartbeat_at: clockNow(db, trx),
          finished_at: null,
          abandoned_at: trx.raw(
            "coalesce(abandoned_at, case when state = 'abandoned' then coalesce(finished_at, ?) end)",
            [now],
          ),
        });
    }
  });
}

/**
 * Ends a `running` run as `done`, `failed` or `abandoned`. A run already ended is left as it is:
 * a late `abandoned` or `failed` (a process judged dead, an extract job failing for good after its
 * work was complete) must not undo a `done`, nor a late `done` a failure recorded first. Only
 * `startRun` with an owner takes an abandoned run back up. Returns the run as it now is, with
 * `applied` saying whether this outcome was recorded.
 */
export async function finishRun(db: Db, runId: string, outcome: RunOutcome): Promise<FinishedRun> {
  return db.write('finishRun', async (trx) => {
    const now = nowIso();
    const errorOf = (o: { error?: string }) => (o.error === undefined ? null : truncate(o.error, 2000));
    // Kept when the run is taken up again and finished: it still counts in runs_failed_total.
    const abandonedAt = (o: { state: string }) =>
      o.state === 'abandoned' ? trx.raw('coalesce(abandoned_at, ?)', [now]) : trx.ref('abandoned_at');
    const alt = outcome.ifExtracted;
    // One statement: the row's own `extracted_at` as it is updated picks the outcome, so a
    // markExtracted committed meanwhile is seen (PostgreSQL re-reads a row updated under it).
    const pick = (mine: Knex.Value | Knex.Raw, theirs: Knex.Value | Knex.Raw) =>
      trx.raw('case when extracted_at is null then ? else ? end', [mine, theirs]);
    const updated = await trx('runs')
      .where({ run_id: runId, state: 'running' })
      .update(
        alt
          ? {
              state: pick(outcome.state, alt.state),
              finished_at: now,
              error: pick(errorOf(outcome), errorOf(alt)),
              abandoned_at: pick(abandonedAt(outcome), abandonedAt(alt)),
            }
          : {
              state: outcome.state,
              finished_at: now,
              error: errorOf(outcome),
              ...(outcome.state === 'abandoned' ? { abandoned_at: abandonedAt(outcome) } : {}),
            },
      );
    const row: RunRow | undefined = await withReadAt(db, trx, 'runs').where({ run_id: runId }).first();
    if (!row) {
      throw new LicbridgeError(ErrorCodes.LEDGER, `ledger: finishRun failed: run ${runId} was not started`, {
        context: { runId },
      });
    }
    return { ...toRun(row), applied: updated > 0 };
  });
}

export async function markExtracted(db: Db, runId: string): Promise<void> {
  await db.write('markExtracted', async (trx) => {
    await trx('runs').where({ run_id: runId }).whereNull('extracted_at').update({ extracted_at: nowIso() });
  });
}

/**
 * `done` means the work is complete, not that extraction ended: every version the run created is
 * signed by the seal, and each has an accepted or dead-lettered delivery at every target.
 */
export async function completeRun(
  db: Db,
  runId: string,
  sealId: string,
  targets: readonly string[],
): Promise<boolean> {
  const run = await getRun(db, runId);
  if (!run) return false;
  if (run.state === 'done') return true;
  if (run.state !== 'running' || !run.extractedAt) return false;
  const p = await runProgress(db, runId, sealId, targets);
  const complete = p.signed >= p.created && targets.every((t) => endedAt(p, t) >= p.created);
  if (!complete) return false;
  // Progress only grows, so what was complete above stays complete; the state guard keeps a
  // failure recorded meanwhile (a worker process failing the run), and then the run is not done.
  const marked = await db.write('completeRun', (trx) =>
    trx('runs')
      .where({ run_id: runId, state: 'running' })
      .update({ state: 'done', finished_at: nowIso(), owner: null }),
  );
  if (marked > 0) return true;
  return (await getRun(db, runId))?.state === 'done';
}

export async function heartbeatRuns(db: Db, runIds: readonly string[], owner: string): Promise<void> {
  if (runIds.length === 0) return;
  await db.write('heartbeatRuns', async (trx) => {
    // Not a run let go (`disownRuns`): a beat already under way must not take it back.
    await trx('runs')
      .whereIn('run_id', [...runIds])
      .where({ state: 'running' })
      .whereNotNull('owner')
      .update({ owner, heartbeat_at: clockNow(db, trx) });
  });
}

/**
 * The owner lets its `running` runs go: no process drives them any more, and none is gone either.
 * Like a scheduled run's, their jobs carry them (`licbridge run` ending `in-review`).
 */
export async function disownRuns(db: Db, runIds: readonly string[], owner: string): Promise<void> {
  if (runIds.length === 0) return;
  await db.write('disownRuns', async (trx) => {
    await trx('runs')
      .whereIn('run_id', [...runIds])
      .where({ state: 'running', owner })
      .update({ owner: null, heartbeat_at: null });
  });
}

export async function runningRuns(db: Db): Promise<StoredRun[]> {
  return db.read('runningRuns', async (k) => {
    const rows: RunRow[] = await withReadAt(db, k, 'runs').where({ state: 'running' }).orderBy('started_at');
    return rows.map(toRun);
  });
}

export async function getRun(db: Db, runId: string): Promise<StoredRun | null> {
  return db.read('getRun', async (k) => {
    const row: RunRow | undefined = await withReadAt(db, k, 'runs').where({ run_id: runId }).first();
    return row ? toRun(row) : null;
  });
}

/**
 * The pipeline's newest run of its source (incremental or full, a repair's among them), not a
 * lifecycle tick's: the daily tick records a run under every pipeline, and as the newest it hid
 * the last sync from `status` and the metrics — a failed run read as a tick `done` from 00:05 on.
 */
export async function lastRun(db: Db, pipeline: string): Promise<StoredRun | null> {
  return db.read('lastRun', async (k) => {
    const row: RunRow | undefined = await withReadAt(db, k, 'runs')
      .where({ pipeline })
      .whereNot({ mode: 'lifecycle' })
      .orderBy([
        { column: 'started_at', order: 'desc' },
        { column: 'run_id', order: 'desc' },
      ])
      .first();
    return row ? toRun(row) : null;
  });
}

export async function getCheckpoint(db: Db, pipeline: string): Promise<Checkpoint | null> {
  return db.read('getCheckpoint', async (k) => {
    const row: { state: string } | undefined = await k('checkpoints')
      .select('state')
      .where({ pipeline })
      .first();
    return row ? row.state : null;
  });
}

export async function resetCheckpoint(db: Db, pipeline: string): Promise<void> {
  await db.write('resetCheckpoint', async (trx) => {
    await trx('checkpoints').where({ pipeline }).delete();
  });
}

export async function runVersionIds(db: Db, runId: string): Promise<number[]> {
  return db.read('runVersionIds', async (k) => {
    const rows: { version_id: unknown }[] = await whereHashedKey(
      k,
      k('license_versions').select('version_id'),
      'run_id',
      runId,
    ).orderBy('version_id');
    return rows.map((r) => toInt(r.version_id));
  });
}

export async function quarantineFor(
  db: Db,
  runId: string,
): Promise<{ sourceKey: string; reasons: QuarantineReason[] }[]> {
  return db.read('quarantineFor', async (k) => {
    const rows: { source_key: string; reasons: string }[] = await k('quarantine')
      .select('source_key', 'reasons')
      .where({ run_id: runId })
      .orderBy('id');
    return rows.map((r) => ({
      sourceKey: r.source_key,
      // parseJson: reasons show values; a text that does not parse fails without quoting them.
      reasons: parseJson<QuarantineReason[]>(r.reasons),
    }));
  });
}
