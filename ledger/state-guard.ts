/**
 * A connector-state entry moved by a page's commit, compared and set in its transaction. A page
 * that does not move the checkpoint (the quarantine re-read's, pipelines/quarantine-recheck.ts)
 * writes back the checkpoint it follows, so the chain (commit-page-chain.ts) let any number of
 * copies of a run commit it: the copy that read first could commit last, and its older content
 * landed as a newer version. Such a page moves a state entry of its own instead — from the value
 * its copy found to the one it leaves — and commits only when the entry still holds what that copy
 * found. Taken after the checkpoint row (the transaction's first write, the lock order of
 * commit-page.ts), so two commits of the pipeline meet there first.
 */
import type { Knex } from 'knex';
import { ErrorCodes, LicbridgeError } from '../core/errors.js';
import { type Db, nowIso } from './db.js';
import type { StateGuard } from './types-versions.js';

/** Another extraction moved the page's guarded state entry since this one read its page. */
export class StateGuardMoved extends LicbridgeError {
  constructor(pipeline: string, runId: string, scope: string) {
    super(
      ErrorCodes.LEDGER,
      `ledger: commitPage stopped: another extraction of pipeline ${pipeline} moved its ${scope} state since run ${runId} read this page; nothing was written`,
      { retryable: false, context: { pipeline, runId } },
    );
    this.name = 'StateGuardMoved';
  }
}

/** Moves `guard`'s entry from `from` to `to`, or throws `StateGuardMoved` having written nothing. */
export async function moveStateGuard(
  trx: Knex.Transaction,
  guard: StateGuard,
  page: { pipeline: string; runId: string },
  now: string,
): Promise<void> {
  if (!(await setStateIf(trx, guard, now))) throw new StateGuardMoved(page.pipeline, page.runId, guard.scope);
}

/**
 * The same compare-and-set outside a page's commit (the re-read's own writes of its entry: what a
 * run saw, a share with nothing to commit): a plain write there overwrote a value another copy had
 * committed, and both copies then committed the re-read page. False: the entry moved, nothing written.
 */
export async function moveStateEntry(db: Db, guard: StateGuard): Promise<boolean> {
  // A write statement first (db.ts): SQLite takes its write lock before anything is read.
  return db.write('moveStateEntry', (trx) => setStateIf(trx, guard, nowIso()));
}

async function setStateIf(trx: Knex.Transaction, guard: StateGuard, now: string): Promise<boolean> {
  const at = { source: guard.source, scope: guard.scope, entry_key: guard.key };
  const written: unknown[] =
    guard.from === null
      ? await trx('connector_state')
          .insert({ ...at, value: guard.to, updated_at: now })
          .onConflict(['source', 'scope', 'entry_key'])
          .ignore()
          .returning('entry_key')
      : await trx('connector_state')
          .where({ ...at, value: guard.from })
          .update({ value: guard.to, updated_at: now })
          .returning('entry_key');
  return written.length > 0;
}
