/**
 * A row's key as the pipelines see it, and what is wrong with it. The key is what makes two reads
 * of a row versions of one license, so a key that cannot tell rows apart must never reach them:
 *
 * - NULL, or empty text (after trimming): every such row would read as the same key — the text
 *   "null" or "" — and become, page after page, versions of ONE license with alternating holders.
 *   The row is quarantined (`LB_SOURCE_KEY_MISSING`, as the XML connector does) under a stand-in
 *   key made from the row's fingerprint: unique to the row's content and the same on every run,
 *   so an operator finds it again and the light check counts it as quarantined, not missed.
 * - Two rows of one page whose stored keys differ but read the same (`'JY001'` and `'JY001 '`
 *   under `trim`): both are quarantined (`LB_SOURCE_KEY_AMBIGUOUS`) rather than merged.
 *
 * Problems name the column, never a value (keys may be ID numbers).
 */
import { CODE_KEY_MISSING } from '../../core/key-missing.js';
import type { RowProblem, SourceRow } from '../source.js';
import { shownName } from './resolve-stream.js';
import { missingKey, rowKeyText, withoutTrailingSpaces } from './values.js';

export const CODE_KEY_AMBIGUOUS = 'LB_SOURCE_KEY_AMBIGUOUS';

/**
 * The stand-in key of a row without one: the key column and 16 hex digits of the row's
 * fingerprint (fingerprint.ts: every column as stored, and the source's decoding settings). It
 * changes when the row does; two rows identical in every column share it, as nothing else tells
 * them apart.
 */
export function standInKey(column: string, fingerprint: string): string {
  return `${column}:missing#${fingerprint.slice(0, 16)}`;
}

/** Whether `key` is a stand-in `standInKey` makes (the reports tell it from an export record's). */
export function isStandInKey(key: string): boolean {
  return /:missing#[0-9a-f]{16}$/.test(key);
}

/** A row being read: its normalised values, the key as the driver returned it, its fingerprint. */
export interface KeyingRow {
  values: SourceRow['values'];
  rawKey: unknown;
  /** A date/time key's text at the database's precision (keyset.ts `keyText`): the row's key. */
  keyText?: string;
  fingerprint: string;
  problems: RowProblem[];
}

/** The keys of one page's rows, in order, with the key problems added to each row's problems. */
export function assignKeys(source: string, column: string, rows: readonly KeyingRow[]): string[] {
  const keys = rows.map((r) => {
    const value = Object.hasOwn(r.values, column) ? (r.values[column] ?? null) : null;
    if (!missingKey(value)) return r.keyText ?? rowKeyText(value);
    r.problems.push({
      column,
      code: CODE_KEY_MISSING,
      message: `source ${source}: key missing: column \`${column}\` is ${value === null ? 'NULL' : 'empty'} in this row; it is kept apart under a stand-in key until the business system fills it in`,
    });
    return standInKey(column, r.fingerprint);
  });
  // Stored keys per key text: more than one means trimming (or a driver's normalisation) made
  // distinct keys one.
  const stored = new Map<string, Set<string>>();
  rows.forEach((r, i) => {
    if (r.problems.some((p) => p.code === CODE_KEY_MISSING)) return;
    const key = keys[i] as string;
    const as = typeof r.rawKey === 'string' ? `s${r.rawKey}` : `k${key}`;
    const set = stored.get(key) ?? new Set<string>();
    set.add(as);
    stored.set(key, set);
  });
  rows.forEach((r, i) => {
    const n = stored.get(keys[i] as string)?.size ?? 0;
    if (n < 2) return;
    r.problems.push({
      column,
      code: CODE_KEY_AMBIGUOUS,
      message: `source ${source}: key ambiguous: ${n} rows of this page hold keys in \`${column}\` that differ as stored but read as one key (trailing spaces that \`trim\` removes); none is taken as the license until the business system tells them apart`,
    });
  });
  return keys;
}

/**
 * Flags (`LB_SOURCE_KEY_AMBIGUOUS`) the rows of a page whose stored key the source also holds
 * spelled with other trailing spaces, on a row outside the page: `'K1'` here, `'K1 '` on a row
 * with a later cursor. Both read as `K1` under `trim`; read in one page both are quarantined
 * (`assignKeys`), read in two each became license `K1` — the later a new version of the other, on
 * every full read. `stored`: each row's stored key (checkpoint text), in page order; `spellings`:
 * the stored keys the source holds equal to the page's by its own comparison (key-cursors.ts
 * `heldKeys`), which finds `'K1 '` for `'K1'` under a PAD SPACE collation only. Call only when the
 * key column is trimmed.
 */
export function flagHeldSpellings(
  source: string,
  column: string,
  rows: readonly KeyingRow[],
  stored: readonly (string | undefined)[],
  spellings: ReadonlySet<string>,
): void {
  const byTrimmed = new Map<string, Set<string>>();
  for (const h of spellings) {
    const t = withoutTrailingSpaces(h);
    const set = byTrimmed.get(t) ?? new Set<string>();
    set.add(h);
    byTrimmed.set(t, set);
  }
  rows.forEach((r, i) => {
    const own = stored[i];
    if (own === undefined) return;
    if (r.problems.some((p) => p.code === CODE_KEY_MISSING || p.code === CODE_KEY_AMBIGUOUS)) return;
    const held = byTrimmed.get(withoutTrailingSpaces(own));
    const n = held ? new Set([...held, own]).size : 1;
    if (n < 2) return;
    r.problems.push({
      column,
      code: CODE_KEY_AMBIGUOUS,
      message: `source ${source}: key ambiguous: the source holds ${n} keys in \`${column}\` that differ as stored but read as this row's (trailing spaces that \`trim\` removes), on rows of other pages; none is taken as the license until the business system tells them apart`,
    });
  });
}

/**
 * What to tell the person onboarding a stream whose key column the catalog lets be NULL and does
 * not hold unique: rows without a key, or with one key twice, are then likely.
 */
export function nullableKeyNote(table: string, column: string): string {
  const [t, c] = [table, column].map(shownName);
  return `key column \`${c}\` of table \`${t}\` allows NULL and is not alone a primary key or unique: rows whose key is NULL or empty are quarantined (${CODE_KEY_MISSING}), as are rows of a page whose keys read the same (${CODE_KEY_AMBIGUOUS}) and rows holding one key with different content (LB_SOURCE_KEY_DUPLICATE); ask the department for a NOT NULL unique key, or name a column that is one`;
}
