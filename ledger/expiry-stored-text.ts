/**
 * The lifecycle tick's side of a corrupt stored license (ledger/lifecycle.ts): a due license whose
 * stored text does not read threw out of the page, which rolled back, and every tick after failed
 * at it, so no license of the pipeline due after it expired again and the tick's reminders never
 * ran; one whose text reads but no longer matches its version's content hash was expired as it
 * read, and the altered license signed anew. Such a license is set aside — left `valid`,
 * quarantined `LB_STORED_TEXT` in the tick's run as the sign and deliver stages and reconcile
 * repairs do (repair-quarantine.ts), audited — and the rest of the page is written. Once a person
 * restored the text, the page that expires the license closes that record (not what a sign or
 * deliver job said of another version of it).
 */
import type { Knex } from 'knex';
import { storedContentHash } from '../catalog/canonical.js';
import type { License, Lineage } from '../catalog/license.js';
import type { AuditInput } from './audit-chain.js';
import type { CorruptStoredText } from './audit-types.js';
import { readContentHash } from './content-hash-column.js';
import { type Db, parseJson } from './db.js';
import { readLineage } from './lineage-column.js';
import {
  CODE_STORED_TEXT,
  closeEndedStoredText,
  type EndedFrom,
  quarantineStoredText,
} from './repair-quarantine.js';
import { joinPayload } from './version-context.js';

/** A due license's latest version as the page reads it, with its context (migration 026). */
export interface DueTexts {
  content_hash: string;
  /** Migration 055: the hash's bytes, `content_hash` '' (content-hash-column.ts). */
  content_hash_bytes?: unknown;
  payload: string;
  lineage: string;
  pipeline: string;
  run_id: string;
  context_lineage: string | null;
  context_payload: string | null;
}

/** What the tick could not do with a corrupt stored text, and what restoring it brings. */
const TICK_SAID = {
  stage: 'expire',
  consequence:
    'so the lifecycle tick could not build its `expire` version from it; it stays valid in the ledger and at the platforms past its validTo',
  after: "once its text is restored, the next day's tick expires it",
} as const;

/**
 * The license and lineage of a due version, or what is wrong with its stored texts: the error's
 * name only, as its message may quote the text (a holder's name or number).
 */
export function readDueTexts(row: DueTexts): { license: License; lineage: Lineage } | { problem: string } {
  let license: License;
  try {
    license = parseJson<License>(joinPayload(row.payload, row.context_payload));
  } catch (e) {
    return { problem: `its stored text does not read (${e instanceof Error ? e.name : 'error'})` };
  }
  // Read, yet another license than the one its version records (edited since it was written):
  // expired as it reads, the altered license would be signed and delivered as the issuer's.
  const hashed = storedContentHash(license);
  if ('cannot' in hashed) return { problem: `its stored text does not hash (${hashed.cannot})` };
  if (hashed.hash !== readContentHash(row.content_hash, row.content_hash_bytes))
    return {
      problem:
        'its stored text does not match the content hash its version records (altered since it was written)',
    };
  try {
    return { license, lineage: readLineage(row.lineage, row.pipeline, row.run_id, row.context_lineage) };
  } catch (e) {
    return { problem: `its stored lineage does not read (${e instanceof Error ? e.name : 'error'})` };
  }
}

/**
 * Quarantines `corrupt` in the tick's run (once: a version an open record of its key speaks of
 * already gets none); returns each record's `quarantine` audit entry, which the page appends in the
 * same transaction after its writes, the audit head taken last (lifecycle.ts).
 */
export async function setAsideStoredText(
  trx: Knex.Transaction,
  db: Db,
  tick: { pipeline: string; runId: string },
  corrupt: readonly CorruptStoredText[],
  now: string,
): Promise<AuditInput[]> {
  if (corrupt.length === 0) return [];
  const fresh = await quarantineStoredText(
    trx,
    db,
    { pipeline: tick.pipeline, runId: tick.runId },
    corrupt,
    now,
    TICK_SAID,
  );
  return corrupt
    .filter((c) => fresh.has(c))
    .map((c) => ({
      action: 'quarantine' as const,
      actor: `lifecycle:${tick.pipeline}`,
      licenseId: c.licenseId,
      version: c.version,
      detail: { runId: tick.runId, pipeline: tick.pipeline, code: CODE_STORED_TEXT, stage: 'expire' },
    }));
}

/**
 * Closes, in the page's transaction, what the open `LB_STORED_TEXT` records of the licenses a page
 * expires said of the version the page read (an earlier tick set it aside, and its text, restored
 * since, read and matched its content hash in this page), and what a tick said of the license at an
 * older version (it could not expire it; now it has): no run reads a source row whose content did
 * not change, and the worklist named an expired license as still to fix, for good. What a sign or
 * deliver job said of another version stays (repair-quarantine.ts closeEndedStoredText).
 */
export async function closeRestoredStoredText(
  trx: Knex.Transaction,
  db: Db,
  pipeline: string,
  expired: readonly EndedFrom[],
  now: string,
): Promise<void> {
  await closeEndedStoredText(trx, db, pipeline, expired, now, TICK_SAID.stage);
}
