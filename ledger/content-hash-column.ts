/**
 * How a version's content hash is stored (migration 055): the SM3 of its canonical form in
 * lowercase hex, as catalog/canonical.ts `contentHash` gives every version (64 characters), goes
 * as its 32 bytes into `license_versions.content_hash_bytes` with `content_hash` left '' — ~32
 * bytes a version on either database. Any other text (rows written before, a hash in another form)
 * stays in `content_hash` as it is, the bytes null. Either reads back as the text given
 * (ledger/digest-column.ts, as signature digests since migration 043). A row's text wins where it
 * is not '': a hash changed in the database by hand reads as changed, so `audit verify` sees it.
 * In SQL, `contentHashSql`; by hand: `case when v.content_hash = '' and v.content_hash_bytes is not
 * null then encode(v.content_hash_bytes, 'hex') else v.content_hash end` (PostgreSQL;
 * `lower(hex(…))` on SQLite).
 */
import type { Dialect } from './db.js';
import { digestColumns, readDigest } from './digest-column.js';

/** The two columns of a version's content hash as stored. */
export function contentHashColumns(hash: string): {
  content_hash: string;
  content_hash_bytes: Buffer | null;
} {
  const { digest, digest_bytes } = digestColumns(hash);
  return { content_hash: digest, content_hash_bytes: digest_bytes };
}

/** The content hash text of a stored version row, from either form. */
export function readContentHash(text: string, bytes: unknown): string {
  return readDigest(text, bytes);
}

/** The content hash text of license_versions row `alias`, read inside the database. */
export function contentHashSql(dialect: Dialect, alias: string): string {
  const hex =
    dialect === 'postgres'
      ? `encode(${alias}.content_hash_bytes, 'hex')`
      : `lower(hex(${alias}.content_hash_bytes))`;
  return `(case when ${alias}.content_hash = '' and ${alias}.content_hash_bytes is not null then ${hex} else ${alias}.content_hash end)`;
}
