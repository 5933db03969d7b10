/**
 * A page lands only in a run that is still `running`, decided inside the page's own transaction.
 *
 * The extract stage reads the run's state before each page, but the run can end (a `licbridge run`
 * that gave up fails it, a process marks it abandoned, a completion check marks it done) between
 * that look and the page's commit. The page's counts are therefore added by an update that also
 * asks for `state = 'running'`: on SQLite the transaction holds the write lock since its first
 * statement, so no other connection ends the run until it commits; on PostgreSQL the update locks
 * the run's row, and an ending committed meanwhile is seen when the update re-reads the row (READ
 * COMMITTED), so the page either commits before the run ends or is refused and rolled back whole.
 */
import type { Knex } from 'knex';
import { ErrorCodes, LicbridgeError } from '../core/errors.js';

/** The page's run has ended (`failed`, `abandoned`, `done`): nothing of the page was written. */
export class PageRunEnded extends LicbridgeError {
  constructor(
    readonly state: string,
    pipeline: string,
    runId: string,
  ) {
    super(
      ErrorCodes.LEDGER,
      `ledger: commitPage refused: run ${runId} has ended (${state}); nothing of the page was written`,
      { retryable: false, context: { pipeline, runId } },
    );
    this.name = 'PageRunEnded';
  }
}

/** Added to the run's columns of the same names. */
export type PageCounts = Record<
  'read_count' | 'created_count' | 'unchanged_count' | 'quarantined_count',
  number
>;

/** Adds a page's counts to its run, which must be `running`; throws `PageRunEnded` otherwise. */
export async function countPageInRun(
  trx: Knex.Transaction,
  where: { pipeline: string; runId: string },
  counts: PageCounts,
): Promise<void> {
  const counted = await trx('runs').where({ run_id: where.runId, state: 'running' }).increment(counts);
  if (counted > 0) return;
  const run: { state: string } | undefined = await trx('runs')
    .select('state')
    .where({ run_id: where.runId })
    .first();
  if (run) throw new PageRunEnded(run.state, where.pipeline, where.runId);
  throw new LicbridgeError(
    ErrorCodes.LEDGER,
    `ledger: commitPage failed: run ${where.runId} was not started`,
    {
      context: { pipeline: where.pipeline, runId: where.runId },
    },
  );
}
