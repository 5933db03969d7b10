/**
 * A pipeline's pages form one chain: a page commits only on top of the checkpoint it was read
 * after, whichever run or copy of a run wrote that checkpoint.
 *
 * Two extractions of one pipeline can read at once: BullMQ hands an extract job whose lock ran out
 * (its worker stalled, not dead) to a second worker while the first still runs, and two runs of the
 * pipeline can overlap (a schedule firing while the last run still reads, a `licbridge run` beside
 * a scheduled one; pipelines/pipeline-lease.ts keeps them apart, this is what holds when a lease
 * was lost). Each read from the same checkpoint and committed its pages: every page both read was
 * counted twice, and the checkpoint went back to the slower one's page (seen: 100 rows read for a
 * source of 60, the checkpoint back from the 60th row to the 30th). Each extraction now says which
 * checkpoint its page follows (`CommitPageInput.follows`): the one it found when it started, then
 * its own last page's. The checkpoint is written by one conditioned statement, the transaction's
 * first: it lands only when the stored checkpoint is still that one (a run that found none starts
 * the chain). Otherwise the commit writes nothing and throws `ExtractOvertaken` (another copy of
 * the same run moved it: that copy waits and looks again) or `CheckpointMoved` (another run did,
 * or `source forget` removed it: this run reads no further, the rest is that run's or the next
 * one's). So no write moves the checkpoint back past a page another extraction committed, and a
 * page read after a checkpoint that `source forget` has since removed does not put it back: that
 * page once inserted its checkpoint again, and the forget was silently undone.
 */
import type { Knex } from 'knex';
import { ErrorCodes, LicbridgeError } from '../core/errors.js';
import type { CommitPageInput } from './ledger.js';

/** Another copy of the run's extraction committed a page since this copy read its page. */
export class ExtractOvertaken extends LicbridgeError {
  constructor(pipeline: string, runId: string) {
    // No checkpoint in the message: it holds a source key, which may be an ID number.
    super(
      ErrorCodes.INTERNAL,
      `ledger: commitPage stopped: another extraction of run ${runId} committed a page since this one read its page; nothing was written`,
      { retryable: true, context: { pipeline, runId } },
    );
    this.name = 'ExtractOvertaken';
  }
}

/**
 * Another run of the pipeline committed a page since this run read its page, or (`forgotten`) the
 * pipeline's checkpoint was removed (`source forget`) since.
 */
export class CheckpointMoved extends LicbridgeError {
  constructor(
    pipeline: string,
    runId: string,
    /** The run that wrote the stored checkpoint; null when none is named. */
    readonly movedBy: string | null,
    /** No checkpoint is stored any more: `source forget` removed the one the page was read after. */
    readonly forgotten = false,
  ) {
    super(
      ErrorCodes.LEDGER,
      forgotten
        ? `ledger: commitPage stopped: the checkpoint of pipeline ${pipeline} was forgotten (source forget) since run ${runId} read this page; nothing was written, and the next run reads the source from the start`
        : `ledger: commitPage stopped: ${movedBy ? `run ${movedBy}` : 'another run'} of pipeline ${pipeline} moved its checkpoint since run ${runId} read this page; nothing was written`,
      { retryable: false, context: { pipeline, runId } },
    );
    this.name = 'CheckpointMoved';
  }
}

/**
 * Writes the page's checkpoint on top of the one it follows; must be the transaction's first
 * statement. It writes, so on SQLite the transaction takes the write lock before it reads; on
 * PostgreSQL the conflict locks the pipeline's checkpoint row, waiting for a concurrent commit of
 * the pipeline (or its insert of the row) to end, and the condition is read on what that commit
 * left. Throws, having written nothing, when the page no longer follows the stored checkpoint.
 */
export async function writeCheckpoint(
  trx: Knex.Transaction,
  input: CommitPageInput,
  now: string,
): Promise<void> {
  const row = {
    pipeline: input.pipeline,
    // Opaque: the connector that read the page wrote it and alone reads it back.
    state: input.checkpoint,
    run_id: input.runId,
    updated_at: now,
  };
  const merged = trx('checkpoints').insert(row).onConflict('pipeline');
  const { follows } = input;
  // Absent: not on the chain (tools and tests committing pages by hand).
  if (follows === undefined) {
    await merged.merge(['state', 'run_id', 'updated_at']);
    return;
  }
  // After a checkpoint, an update, never an insert: gone, it was forgotten, and is not put back.
  const written: unknown[] =
    follows === null
      ? await merged.ignore().returning('pipeline')
      : await trx('checkpoints')
          .where({ pipeline: input.pipeline, state: follows })
          .update({ state: row.state, run_id: row.run_id, updated_at: row.updated_at })
          .returning('pipeline');
  if (written.length > 0) return;
  const stored: { run_id: string | null } | undefined = await trx('checkpoints')
    .select('run_id')
    .where({ pipeline: input.pipeline })
    .first();
  if (stored === undefined) throw new CheckpointMoved(input.pipeline, input.runId, null, true);
  if (stored.run_id === input.runId) throw new ExtractOvertaken(input.pipeline, input.runId);
  throw new CheckpointMoved(input.pipeline, input.runId, stored.run_id ?? null);
}
