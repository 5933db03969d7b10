/**
 * The versions a page of `sign files` refuses (pipelines/issue-file-pages.ts): those whose stored
 * text is corrupt, those of another issuing unit, counted and named in the run's summary and log
 * by license id and version (never a value), and the files a killed run wrote for any refused
 * version before it could record them, removed.
 */
import type { LicenseFileStore } from '../adapters/documents/file-store.js';
import type { Logger } from '../core/logger.js';
import type { StoredVersion } from '../ledger/ledger.js';
import type { IssueFilesSummary } from './issue-license-files.js';
import { readableLicense } from './reconcile/stored-text.js';
import { OTHER_UNIT_LISTED, type OtherUnitVersion } from './seal-units.js';
import { type CorruptText, nameStoredTexts } from './stages/sign.js';

export function noteStoredText(
  corrupt: readonly CorruptText<StoredVersion>[],
  summary: IssueFilesSummary,
  command: string,
  logger: Logger,
): void {
  const named = nameStoredTexts(summary, corrupt);
  // License ids, versions and what is wrong only, as `sign backfill` names them: never the text.
  logger.warn(
    { versions: named.length, first: named.slice(0, 5) },
    `${command}: ${named.length} version(s) issued no file: their stored license text is corrupt [LB_STORED_TEXT]; restore it from a backup of the ledger and run ${command} again`,
  );
}

/** Where a version's file would be in the store: what `discardUnlisted` looks for. */
export interface VersionFile {
  typeCode: string;
  licenseId: string;
  version: number;
}

export function fileOf(v: StoredVersion): VersionFile {
  return { typeCode: v.payload.type.code, licenseId: v.licenseId, version: v.version };
}

/**
 * Where a killed run may have written the file of `v`, whose stored text is corrupt: under the
 * type its text names, if it reads, and the type its license id carries (`root.type.issuer.serial`,
 * GB/T 36904), the code the version was written with, under which a text that no longer reads (or
 * names another type since it was edited) was written when it still did. Not the pipeline's
 * license type: it may have changed since the version was written.
 */
export function refusedFiles(v: StoredVersion): VersionFile[] {
  const [idType] = v.licenseId.split('.').slice(-3);
  const types = new Set([readableLicense(v)?.type?.code, idType]);
  return [...types].flatMap((typeCode) =>
    typeof typeCode === 'string' && TYPE_CODE.test(typeCode)
      ? [{ typeCode, licenseId: v.licenseId, version: v.version }]
      : [],
  );
}

/**
 * A type code a store folder may be named by. A corrupt text's own code may be anything: one of
 * 300 letters made the folder's name too long for the file system (ENAMETOOLONG), which the
 * cleanup threw, failing every run at its page. Type codes of the catalog are far shorter.
 */
const TYPE_CODE = /^[0-9A-Za-z_-]{1,64}$/;

export function noteOtherUnit(
  others: readonly OtherUnitVersion[],
  summary: IssueFilesSummary,
  command: string,
  unit: string,
  logger: Logger,
): void {
  summary.otherUnit += others.length;
  summary.otherUnits.push(...others.slice(0, OTHER_UNIT_LISTED - summary.otherUnits.length));
  // License ids and codes only, as the summary names them: never a holder's data.
  logger.warn(
    { versions: others.length, unit, first: others.slice(0, 5) },
    `${command}: these versions were written for another issuing unit than the seal's (${unit}); no file issued for them (seal them with a seal of their own unit)`,
  );
}

/**
 * Removes the files a killed run wrote for `refused` versions (read without a file, so no ledger
 * row lists one) before it could record them: sealed licenses nothing accounts for.
 */
export async function discardUnlisted(
  store: LicenseFileStore,
  refused: readonly VersionFile[],
  summary: IssueFilesSummary,
  command: string,
  logger: Logger,
): Promise<void> {
  let removed = 0;
  for (const v of refused) {
    try {
      if (await store.discard(v.typeCode, v.licenseId, v.version)) removed++;
    } catch (e) {
      // A name the store cannot hold (relativePath) was never written there.
      if (!(e instanceof RangeError)) throw e;
    }
  }
  if (removed === 0) return;
  summary.unlistedRemoved += removed;
  logger.warn(
    { removed },
    `${command}: removed ${removed} file(s) a killed run wrote but never recorded, for versions this run issues no file`,
  );
}
