/**
 * How a version's identifier is stored in `license_versions.identifier`. A GB/T 36904 identifier
 * is the license id, the version in three digits and a check char computed from the two, so the
 * row's own `license_id` and `version` columns already hold it: the column is left empty (''),
 * ~85 bytes a version, and so is the unique index over it (migration 024, ~100 bytes). An
 * identifier those two columns do not give — a vendor-variant check char, a license id of
 * another shape, rows written before 024 — is kept as it is, and stays under the unique index,
 * which covers non-empty text only. Reading gives every row the identifier it was written with.
 */
import { buildIdentifier, IDENTIFIER_ROOT } from '../catalog/identifier.js';

/** The identifier the row's license id and version give, or undefined when the id is not of that shape. */
function derived(licenseId: string, version: number): string | undefined {
  if (!licenseId.startsWith(`${IDENTIFIER_ROOT}.`)) return undefined;
  const parts = licenseId.slice(IDENTIFIER_ROOT.length + 1).split('.');
  if (parts.length !== 3) return undefined;
  const [typeCode, issuerCode, serial] = parts as [string, string, string];
  try {
    return buildIdentifier({ typeCode, issuerCode, serial, version });
  } catch {
    // Codes, serial or version out of the standard's shape: nothing to derive.
    return undefined;
  }
}

/** The column text of `identifier` for a row of this license id and version. */
export function identifierColumn(licenseId: string, version: number, identifier: string): string {
  return derived(licenseId, version) === identifier ? '' : identifier;
}

/** The identifier of a stored row from its column text, license id and version. */
export function readIdentifier(column: string, licenseId: string, version: number): string {
  if (column !== '') return column;
  const identifier = derived(licenseId, version);
  // Only identifierColumn writes '', and only for a license id and version that give one.
  if (identifier === undefined) {
    throw new Error(
      `ledger: version ${version} of ${licenseId} has no identifier stored and none follows from its license id`,
    );
  }
  return identifier;
}
