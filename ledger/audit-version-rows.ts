/**
 * A version row as its entry records it. The entry's digest (a batch's tuple, or one act's
 * `digest`) holds the license, the version number and the content hash; the entry's action is the
 * version's operation, what the deliver stage sends the platforms from the row's own `operation`
 * column; and the content hash is SM3 over the JCS of the license without its identifier
 * (catalog/canonical.ts contentHash), so the stored text, read back as every stage reads it
 * (payload-column.ts), must still hash to it, and the row's `status` must be the license's (a member of that
 * text). A row rewritten in any of these is no longer the act the chain records.
 *
 * Cost: the row's text is read and hashed once a version, as its batch is checked (docs/audit.md
 * gives what it took on 20,000 versions).
 */
import type { Knex } from 'knex';
import { storedContentHash } from '../catalog/canonical.js';
import { readContentHash } from './content-hash-column.js';
import { toInt } from './db.js';
import { readPayload } from './payload-column.js';

/**
 * Most version rows read in one statement: each brings its stored text (some 1 KB), and a batch
 * entry of a 50,000-row page read whole under PostgreSQL's 65,535 parameters held it all at once.
 */
export const VERSION_ROWS_AT_ONCE = 5000;

/** A content hash as contentHash writes every version's: 64 lowercase hex digits. */
const SM3_HEX = /^[0-9a-f]{64}$/;

export interface VersionActRow {
  versionId: number;
  licenseId: string;
  version: number;
  contentHash: string;
  operation: string;
  /** What of the row no longer is what its content hash says (its stored text, its status); undefined when all is. */
  textProblem?: string;
}

/** The columns read: a version's lineage and identifier are not among what its entry records. */
interface ActColumns {
  version_id: unknown;
  license_id: string;
  version: unknown;
  content_hash: string;
  content_hash_bytes: unknown;
  operation: string;
  status: string;
  payload: string;
  context_id: unknown;
  context_payload: string | null;
}

/**
 * The version rows `where` selects, read in `k`'s transaction, with their stored text checked
 * against their content hash. A content hash of another shape (the ledger's test fixtures write
 * labels such as `hash:a:valid`; the deliver stage reads such a text unchecked too,
 * pipelines/stages/deliver-items.ts) says nothing of the text, which is left.
 */
export async function readVersionActs(
  k: Knex | Knex.Transaction,
  where: (q: Knex.QueryBuilder) => Knex.QueryBuilder,
): Promise<VersionActRow[]> {
  const rows: ActColumns[] = await where(
    k('license_versions as v')
      .leftJoin('version_contexts as vc', 'vc.context_id', 'v.context_id')
      .select(
        'v.version_id',
        'v.license_id',
        'v.version',
        'v.content_hash',
        'v.content_hash_bytes',
        'v.operation',
        'v.status',
        'v.payload',
        'v.context_id',
        'vc.payload as context_payload',
      ),
  );
  return rows.map((r) => {
    const hash = readContentHash(r.content_hash, r.content_hash_bytes);
    const out: VersionActRow = {
      versionId: toInt(r.version_id),
      licenseId: r.license_id,
      version: toInt(r.version),
      contentHash: hash,
      operation: r.operation,
    };
    const problem = textProblem(hash, r.status, () => {
      // A row that names a context no longer there (or one without texts) does not read.
      if (r.context_id !== null && typeof r.context_payload !== 'string') throw new Error('no context');
      // The identifier is left out of the content hash: the text is read without putting it back.
      return readPayload(r.payload, '', r.context_id === null ? null : r.context_payload);
    });
    if (problem !== undefined) out.textProblem = problem;
    return out;
  });
}

/** Why a row's stored text or status is not what its content hash records; never a value of the text. */
function textProblem(hash: string, status: string, license: () => { status?: unknown }): string | undefined {
  if (!SM3_HEX.test(hash)) return undefined;
  let read: { status?: unknown };
  try {
    read = license();
  } catch {
    return 'its stored text does not read';
  }
  const hashed = storedContentHash(read as Parameters<typeof storedContentHash>[0]);
  if ('cannot' in hashed) return 'its stored text does not hash';
  if (hashed.hash !== hash) return 'its stored text no longer hashes to its content hash';
  if (read.status !== status) return 'its status is not the one its stored text holds';
  return undefined;
}

/**
 * Why version `row` is not the act an entry of `action` recorded, beyond its tuple (license,
 * number, content hash), which the caller compares: its operation, or its text or status.
 */
export function versionActProblem(row: VersionActRow, action: string): string | undefined {
  // The row's value is not quoted: whoever rewrote it chose it.
  if (row.operation !== action) return `its operation is no longer ${action}, the one its entry records`;
  return row.textProblem;
}
