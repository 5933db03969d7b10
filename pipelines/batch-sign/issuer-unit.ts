/**
 * The issuing unit of a version a sign pass read, for its check against the signer's unit.
 */
import type { StoredVersion } from '../../ledger/ledger.js';
import { type VersionUnit, versionUnit } from '../seal-units.js';

/**
 * `v`'s issuing unit (seal-units.ts versionUnit) from `issuerText`, the text of its `issuer` value
 * that `signable` (pipelines/stages/sign.ts) gives where it made the signed form from the stored
 * text (ledger/stored-signed-form.ts): then the license itself is never parsed, which a pass did
 * for every version only to read its issuer's code. The same value as the parsed license's
 * `issuer`, parsed from the same text. Without it (a text written before, read the long way), the
 * license's. The sign stage reads it alike (sign.ts unitOf).
 */
export function issuerUnit(v: StoredVersion, issuerText: string | undefined): VersionUnit {
  if (issuerText !== undefined) {
    const issuer: unknown = JSON.parse(issuerText);
    if (issuer !== null && typeof issuer === 'object')
      return versionUnit({ licenseId: v.licenseId, payload: { issuer: issuer as { code: string } } });
  }
  return versionUnit(v);
}
