/**
 * How a version's identifier is stored in `license_versions.identifier`. A GB/T 36904 identifier
 * is the license id, the version in three digits and a check char computed from the two, so the
 * row's own `license_id` and `version` columns already hold it: the column is left empty (''),
 * ~85 bytes a version, and so is the unique index over it (migration 024, ~100 bytes). An
 * identifier those two columns do not give — a vendor-variant check char, a license id of
 * another shape, rows written before 024 — is kept as it is, and stays under the unique index,
 * which covers non-empty text only. Reading gives every row the identifier it was written with.
 */
import { IDENTIFIER_ROOT, type IdentifierBuilder, identifierBuilder } from '../catalog/identifier.js';

const PREFIX = `${IDENTIFIER_ROOT}.`;

/**
 * Builders by the license id's `type.issuer.` part, null where the codes are not the standard's.
 * A version's identifier is derived each time its row is written or read (a page's commit, then
 * the sign and the deliver stages each read it back): buildIdentifier made a builder each time,
 * checking both codes and running the check over them again, ~3 µs a license of the main thread
 * (bench/pipeline.ts). A ledger holds licenses of a few issuers: at most {@link BUILDERS_KEPT}
 * are kept, all let go when one more comes.
 */
const builders = new Map<string, IdentifierBuilder | null>();
const BUILDERS_KEPT = 256;

function builderOf(codes: string): IdentifierBuilder | null {
  const known = builders.get(codes);
  if (known !== undefined) return known;
  const dot = codes.indexOf('.');
  let builder: IdentifierBuilder | null;
  try {
    builder = identifierBuilder(codes.slice(0, dot), codes.slice(dot + 1, -1));
  } catch {
    // Codes out of the standard's shape: no identifier follows from such a license id.
    builder = null;
  }
  if (builders.size >= BUILDERS_KEPT) builders.clear();
  builders.set(codes, builder);
  return builder;
}

/**
 * The identifier the row's license id and version give, or undefined when the id is not of that
 * shape: buildIdentifier's answer for the id's type code, issuer code and serial (exactly three
 * parts after the root).
 */
function derived(licenseId: string, version: number): string | undefined {
  if (!licenseId.startsWith(PREFIX)) return undefined;
  const typeEnd = licenseId.indexOf('.', PREFIX.length);
  const issuerEnd = typeEnd < 0 ? -1 : licenseId.indexOf('.', typeEnd + 1);
  if (issuerEnd < 0 || licenseId.includes('.', issuerEnd + 1)) return undefined;
  const builder = builderOf(licenseId.slice(PREFIX.length, issuerEnd + 1));
  if (builder === null) return undefined;
  try {
    return builder.identifier(licenseId.slice(issuerEnd + 1), version);
  } catch {
    // Serial or version out of the standard's shape: nothing to derive.
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
