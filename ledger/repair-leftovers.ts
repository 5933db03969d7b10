/**
 * What a reconcile repair could not end, on the quarantine list and in the audit chain: a license
 * at version 999 (version-limit.ts `quarantineUnended`, `LB_VERSION_LIMIT`) or with a corrupt
 * stored text (repair-quarantine.ts `quarantineStoredText`, `LB_STORED_TEXT`). Leaving a license
 * valid that the repair was asked to end is the repair's act on it, as the sign and deliver stages'
 * and the lifecycle tick's are (stored-text-quarantine.ts, expiry-stored-text.ts): each record
 * written is one `quarantine` entry, in the record's transaction, the audit head taken last. The
 * records were written without one, so the chain read as if the repair had not met the license.
 *
 * Once: a key whose record is open already (every repair plans it again; for a corrupt text, one
 * about the same version) gets no second record and no second entry. In transactions of `REPAIR_PART` licenses, as the repair's versions are.
 */
import { MAX_VERSION } from '../catalog/identifier.js';
import { type AuditInput, appendAudit } from './audit-chain.js';
import type { RepairVersionsInput } from './audit-types.js';
import { type Db, nowIso } from './db.js';
import { REPAIR_PART } from './reconcile-repairs.js';
import { CODE_STORED_TEXT, quarantineStoredText } from './repair-quarantine.js';
import { CODE_VERSION_LIMIT, quarantineUnended } from './version-limit.js';

/** The parts of `items`, `REPAIR_PART` each. */
function parts<T>(items: readonly T[] = []): T[][] {
  const out: T[][] = [];
  for (let at = 0; at < items.length; at += REPAIR_PART) out.push(items.slice(at, at + REPAIR_PART));
  return out;
}

/**
 * Quarantines `input.unended` and `input.corrupt` in the repair's run, each record written audited
 * as `quarantine` by the repair's actor: ids, the code and the ending it could not write (`status`)
 * or the target holding it (`target`), never the record's message or a value of the license.
 */
export async function quarantineRepairLeftovers(
  db: Db,
  input: Pick<RepairVersionsInput, 'pipeline' | 'runId' | 'actor' | 'unended' | 'corrupt'>,
): Promise<void> {
  const run = { pipeline: input.pipeline, runId: input.runId };
  const base = { runId: input.runId, pipeline: input.pipeline };
  for (const unended of parts(input.unended)) {
    await db.write('quarantineUnended', async (trx) => {
      const fresh = await quarantineUnended(trx, db, run, unended, nowIso());
      const entries = unended
        .filter((u) => fresh.has(u.sourceKey))
        .map(
          (u): AuditInput => ({
            action: 'quarantine',
            actor: input.actor,
            licenseId: u.licenseId,
            // A license deleted at the source holds its last version in the ledger; one only a
            // platform holds has no version in the ledger (its target is named instead).
            version: u.adoptedAt === undefined ? MAX_VERSION : null,
            detail: {
              ...base,
              code: CODE_VERSION_LIMIT,
              stage: 'repair',
              status: u.status,
              ...(u.adoptedAt === undefined ? {} : { target: u.adoptedAt }),
            },
          }),
        );
      await appendAudit(db, trx, entries);
    });
  }
  for (const corrupt of parts(input.corrupt)) {
    await db.write('quarantineStoredText', async (trx) => {
      const fresh = await quarantineStoredText(trx, db, run, corrupt, nowIso());
      const entries = corrupt
        .filter((c) => fresh.has(c))
        .map(
          (c): AuditInput => ({
            action: 'quarantine',
            actor: input.actor,
            licenseId: c.licenseId,
            version: c.version,
            detail: { ...base, code: CODE_STORED_TEXT, stage: 'repair' },
          }),
        );
      await appendAudit(db, trx, entries);
    });
  }
}
