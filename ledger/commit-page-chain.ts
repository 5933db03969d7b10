/**
 * A run's pages form one chain: a page commits only on top of the checkpoint it was read after.
 *
 * BullMQ hands an extract job whose lock ran out (its worker stalled, not dead) to a second worker
 * while the first still runs. Both copies work the same run: each reads from the checkpoint and
 * commits pages. Content hashes kept each version single, but every page both copies committed was
 * counted twice in the run's `read` and `unchanged`, and the checkpoint went back to the slower
 * copy's page. Each copy now says which checkpoint its page follows (`CommitPageInput.follows`):
 * the checkpoint it found when it started, then its own last page's. When the stored checkpoint
 * was written by the same run and is another one, another copy of the run has committed since
 * this copy read: the commit writes nothing and throws `ExtractOvertaken`, and that copy steps
 * back.
 *
 * A checkpoint another run wrote does not stop a page: two runs of one pipeline are not copies of
 * one job, and each run's counts are its own.
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
 * Checks the page's place in the chain; must be the transaction's first statement. Its insert
 * writes, so on SQLite the transaction takes the write lock before it reads; on PostgreSQL the
 * conflict locks the pipeline's checkpoint row, waiting for a concurrent commit of the pipeline
 * (or its insert of the row) to end, and the select after it reads what that commit left. The
 * placeholder row it may insert is replaced by the page's own checkpoint, or rolled back with the
 * refused commit.
 */
export async function checkChain(trx: Knex.Transaction, input: CommitPageInput, now: string): Promise<void> {
  if (input.follows === undefined) return;
  await trx.raw(
    'insert into checkpoints (pipeline, state, run_id, updated_at) values (?, ?, null, ?) on conflict (pipeline) do update set updated_at = checkpoints.updated_at',
    [input.pipeline, input.checkpoint, now],
  );
  const stored: { state: string; run_id: string | null } | undefined = await trx('checkpoints')
    .select('state', 'run_id')
    .where({ pipeline: input.pipeline })
    .first();
  if (stored?.run_id === input.runId && stored.state !== input.follows) {
    throw new ExtractOvertaken(input.pipeline, input.runId);
  }
}
