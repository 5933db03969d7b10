/**
 * How a license's source fingerprint is stored (migration 052): 32 lowercase hex digits, as the
 * source connectors give it (an md5 over the raw row's parts), go as their 16 bytes into
 * `licenses.source_fp_bytes` with `source_fp` left '' — 33 bytes of text become 17, ~16 bytes a
 * license on PostgreSQL. Any other text ('-' for a license no source row stands behind, a
 * fingerprint in another form, rows written before) stays in `source_fp` as it is, the bytes null;
 * null stays null. Either reads back as the text given (ledger/digest-column.ts, as signature
 * digests since migration 043). In SQL, `sourceFpSql`.
 */
import { digestColumns, readDigest } from './digest-column.js';

/** The two columns of a fingerprint as stored. */
export function fingerprintColumns(fp: string | null): {
  source_fp: string | null;
  source_fp_bytes: Buffer | null;
} {
  if (fp === null) return { source_fp: null, source_fp_bytes: null };
  const { digest, digest_bytes } = digestColumns(fp);
  return { source_fp: digest, source_fp_bytes: digest_bytes };
}

/** The fingerprint text of a stored row, from either form; null stays null. */
export function readFingerprint(text: string | null, bytes: unknown): string | null {
  return text === null ? null : readDigest(text, bytes);
}

/** The fingerprint text of licenses row `alias`, read inside PostgreSQL. */
export function sourceFpSql(alias: string): string {
  return `(case when ${alias}.source_fp = '' and ${alias}.source_fp_bytes is not null then encode(${alias}.source_fp_bytes, 'hex') else ${alias}.source_fp end)`;
}
