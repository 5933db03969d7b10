/**
 * Licenses at the last version an identifier can hold. GB/T 36904 writes the version in 3 digits
 * (catalog/identifier.ts `MAX_VERSION`), so a license's 1000th version has no identifier: a source
 * row that changes every day reaches it in under three years. Building it threw a RangeError in
 * the page's transaction, which failed the whole page, and every run after at that page: the
 * pipeline was stuck for good. The row is quarantined instead (`LB_VERSION_LIMIT`), the license
 * left at its last version, and the rest of the page commits.
 */
import { MAX_VERSION } from '../catalog/identifier.js';
import type { QuarantineCandidate } from './types-versions.js';

export const CODE_VERSION_LIMIT = 'LB_VERSION_LIMIT';

/** True when a license whose latest version is `latest` can take another. */
export function takesAnotherVersion(latest: number): boolean {
  return latest < MAX_VERSION;
}

/** The quarantine record of a row whose license holds its last version. Names the license id, no value of the row. */
export function versionLimitRecord(sourceKey: string, licenseId: string): QuarantineCandidate {
  return {
    sourceKey,
    reasons: [
      {
        code: CODE_VERSION_LIMIT,
        message: `ledger: license ${licenseId} holds version ${MAX_VERSION}, the last a GB/T 36904 identifier's 3-digit version can hold; this row's change was not written. Issue the license anew under a new number (a renewal or change continuing it), or stop the business system rewriting the row when nothing on the license changed`,
      },
    ],
  };
}
