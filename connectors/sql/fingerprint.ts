/**
 * Row fingerprints and key buckets for reconciliation.
 *
 * A fingerprint is md5 over a prefix (the source's decoding settings: trim, charset repair, zero
 * dates, value limit) and the row's columns exactly as the database holds them. It is computed by
 * the database where the dialect can (PostgreSQL, MySQL/MariaDB), in JavaScript otherwise, and the
 * same connector always computes it the same way, so the fingerprint stored at extract time and the
 * one read at reconcile time are comparable. md5 only spots change; integrity rests on SM3 elsewhere.
 *
 * Buckets, fingerprint parts and their modulus are core/reconcile-digest.ts's, shared with the
 * ledger, so both sides are grouped and summed the same way.
 */
import { hash } from 'node:crypto';
import type { SourceConfig } from '../../config/types.js';
import { md5Hex } from '../../core/reconcile-digest.js';

/** The alias of the in-database fingerprint in a page's select list. */
export const FINGERPRINT_ALIAS = '__lb_fp';
/** The alias of the in-database bucket in a drill-down's select list. */
export const BUCKET_ALIAS = '__lb_bucket';
const md5 = md5Hex;

/**
 * The decoding settings as a short prefix: a change of `trim` or `charset` changes every
 * fingerprint, so rows read under other settings are compared in detail, never assumed equal.
 */
export function decodingPrefix(config: SourceConfig): string {
  const settings = [
    'lb-fp-1',
    config.trim ?? 'all',
    config.charset ?? null,
    config.zeroDates ?? null,
    config.maxValueBytes ?? null,
  ];
  return md5(JSON.stringify(settings)).slice(0, 16);
}

function valueText(value: unknown): string {
  if (value === null || value === undefined) return '\u001eN';
  if (typeof value === 'string') return `s${value}`;
  if (typeof value === 'number' || typeof value === 'bigint' || typeof value === 'boolean')
    return `n${value}`;
  if (value instanceof Uint8Array) return `x${Buffer.from(value).toString('hex')}`;
  if (value instanceof Date) return `d${Number.isNaN(value.getTime()) ? 'invalid' : dateText(value)}`;
  return `j${JSON.stringify(value, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v))}`;
}

/**
 * A Date's ISO text, with the ticks of 100 ns below its millisecond where the driver kept them.
 * tedious hands a SQL Server DATETIME2(7), DATETIMEOFFSET(7) or TIME(7) over as a Date of whole
 * milliseconds and the rest as its `nanosecondsDelta`, in seconds: with the milliseconds only, a
 * value edited below the millisecond kept its row's fingerprint, and reconciliation took the row
 * for unchanged. A value without such ticks (every other driver's Date) keeps the text it had, so
 * the fingerprints already stored still match.
 */
function dateText(value: Date): string {
  const iso = value.toISOString();
  const delta = (value as { nanosecondsDelta?: unknown }).nanosecondsDelta;
  const ticks = typeof delta === 'number' ? Math.round(delta * 1e7) : 0;
  return ticks > 0 && ticks < 10_000 ? `${iso.slice(0, -1)}${String(ticks).padStart(4, '0')}Z` : iso;
}

/** The fingerprint of a raw driver row, where the database computes none. */
export function rowFingerprint(
  prefix: string,
  raw: Record<string, unknown>,
  columns: readonly string[],
): string {
  // Each value is tagged by kind and its length is implied by the separator 0x1F, which no tag
  // starts with: `('a', 'b')` and `('a\u001fb')` differ because every part carries its own tag.
  // One string hashed once, not one update per column: the same bytes (each part starts with
  // 0x1F, so no surrogate pair spans two parts), a third of the CPU on the extract's main thread.
  let text = prefix;
  for (const c of columns) text += `\u001f${valueText(raw[c])}`;
  return hash('md5', text, 'hex');
}
