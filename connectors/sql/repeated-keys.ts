/**
 * One key on several rows of one page. A stream's key is meant to name one license, but a view
 * that joins a one-to-many table (a license and its business items) returns the key once per
 * item, and a "license number" column may have been reused. Passed on as they were, such rows
 * became successive versions of ONE license within the page, the last row winning — and every full
 * re-read flipped the license between them: two licenses merged, alternating holders delivered.
 *
 * - Rows of a key with the same cursor value (or in a stream without a cursor) and different
 *   content are current at once: nothing tells which is the license. All rows of that key in the
 *   page are quarantined (`LB_SOURCE_KEY_DUPLICATE`). Identical rows (one fingerprint) are one
 *   state and pass.
 * - Rows of a key with different cursor values are one state read at two times (a row whose
 *   cursor went from NULL to a value between the NULL-cursor query and the next one) or an older
 *   row the source keeps beside a newer one: the newest cursor is the key's state. The older rows
 *   are superseded and left out of the page — as versions they would only be replaced within the
 *   same ledger transaction, yet signed and delivered as a stale state first, and each full
 *   re-read would create both again.
 *
 * A keyset page is ordered by (cursor, key), NULL cursors first, and a tie at its end is read
 * whole (tied-rows.ts): a key's rows with equal cursors always meet in one page, and its last row
 * holds its newest cursor in the page. A newer row of the key in a later page is found by asking
 * the source (key-cursors.ts): the rows here give way to it. Messages name the source, the column
 * and counts, never a key (keys may be ID numbers).
 */
import { CODE_KEY_MISSING } from '../../core/key-missing.js';
import type { RowProblem } from '../source.js';
import { CODE_KEY_AMBIGUOUS } from './row-keys.js';

export const CODE_KEY_DUPLICATE = 'LB_SOURCE_KEY_DUPLICATE';

/** A row of a page, in page order: its key as read, its cursor as checkpoint text, its fingerprint. */
export interface PageRowKey {
  key: string;
  /** The cursor as checkpoint text; null when NULL or when the stream has no cursor. */
  cursor: string | null;
  fingerprint: string;
  problems: RowProblem[];
  /**
   * When the source holds the key on more than one row (key-cursors.ts): the newest cursor among
   * them. Absent when it holds it once, or was not asked (a unique key, no cursor).
   */
  newest?: string | null;
}

/**
 * Flags (in `problems`) the rows of keys held by several current rows, and returns the positions
 * of rows superseded by a newer row of their key in the same page. `inCursorOrder` false: rows in
 * key order (reconciliation's scans, a key's rows read whole), where which row is newest cannot be
 * told from the order: a key whose rows carry `newest` (asked of the source, key-cursors.ts) is
 * settled as a page settles it; of another, only rows that all share one cursor value are flagged,
 * and none is superseded.
 */
export function settleRepeatedKeys(
  source: string,
  column: string,
  rows: readonly PageRowKey[],
  hasCursor: boolean,
  inCursorOrder = true,
): Set<number> {
  const byKey = new Map<string, number[]>();
  const superseded = new Set<number>();
  rows.forEach((r, i) => {
    // Stand-ins and keys that trimming made one are quarantined already, every row of them.
    if (r.problems.some((p) => p.code === CODE_KEY_MISSING || p.code === CODE_KEY_AMBIGUOUS)) return;
    // A newer row of the key, in this page or a later one, is the key's state.
    if (r.newest !== undefined && r.cursor !== r.newest) {
      superseded.add(i);
      return;
    }
    const at = byKey.get(r.key);
    if (at) at.push(i);
    else byKey.set(r.key, [i]);
  });
  for (const at of byKey.values()) {
    if (at.length < 2) continue;
    const newest = (rows[at[at.length - 1] as number] as PageRowKey).cursor;
    if (!inCursorOrder && at.some((i) => (rows[i] as PageRowKey).cursor !== newest)) continue;
    const current = at.filter((i) => (rows[i] as PageRowKey).cursor === newest);
    const states = new Set(current.map((i) => (rows[i] as PageRowKey).fingerprint)).size;
    if (states > 1) {
      const same = hasCursor ? ' and the same cursor value' : '';
      for (const i of at) {
        (rows[i] as PageRowKey).problems.push({
          column,
          code: CODE_KEY_DUPLICATE,
          message: `source ${source}: key duplicate: ${at.length} rows of this page hold one key in \`${column}\`, ${states} of them with different content${same}; none is taken as the license until the business system gives each its own key`,
        });
      }
      continue;
    }
    for (const i of at) if ((rows[i] as PageRowKey).cursor !== newest) superseded.add(i);
  }
  return superseded;
}
