/**
 * How a signature's digest is stored (migration 043): the SM3 value e in lowercase hex, as every
 * signer gives it (GB/T 32918: 32 bytes), goes as its bytes into `signatures.digest_bytes` with
 * `digest` left '' — 64 characters become 32 bytes, ~31 bytes a signature row. Any other text (rows
 * written before, a digest in another form) stays in `digest` as it is, `digest_bytes` null. Either
 * reads back as the text given. By hand: `case when s.digest = '' and s.digest_bytes is not null
 * then encode(s.digest_bytes, 'hex') else s.digest end` (PostgreSQL; `lower(hex(…))` on SQLite).
 */
import { toBuffer, toBytes } from './db.js';

/** Lowercase hex of whole bytes: what reads back identically from its bytes. */
const LOWER_HEX = /^(?:[0-9a-f]{2})+$/;

/** The two columns of a digest as stored. */
export function digestColumns(digest: string): { digest: string; digest_bytes: Buffer | null } {
  return LOWER_HEX.test(digest)
    ? { digest: '', digest_bytes: Buffer.from(digest, 'hex') }
    : { digest, digest_bytes: null };
}

/** The digest text of a stored row, from either form. */
export function readDigest(text: string, bytes: unknown): string {
  if (text !== '' || bytes === null || bytes === undefined) return text;
  return toBuffer(toBytes(bytes)).toString('hex');
}
