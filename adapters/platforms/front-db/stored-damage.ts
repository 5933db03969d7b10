/**
 * Whether a value read back from the exchange table may be the written one as a front database
 * damages it without an error — cut to its column (MySQL and MariaDB without strict mode, MyISAM
 * under STRICT_TRANS_TABLES past an insert's first row), characters its character set lacks
 * replaced (`?` on MySQL, MariaDB and SQL Server `varchar`; `¿` or another replacement on Oracle;
 * SQL Server's best-fit letter) — rather than a value written otherwise: a code of another list,
 * another seal's signature, a payload of another layout.
 *
 * A row an earlier send of the same delivery left is told by it: damaged, its delivery is rejected
 * and the row reported; written otherwise (the target's `codes` or the seal changed since, or the
 * layout after an upgrade), it is that send's row, complete, and answered as its duplicate
 * (./verify-stored.ts). Where the two cannot be told apart, it is taken for damage: rejecting a
 * row loses nothing, answering a cut one accepted would.
 */

/** Characters a database writes for one it cannot store. */
const REPLACEMENTS = ['?', '\u00bf', '\ufffd'] as const;

/**
 * Whether `stored` (trailing blanks aside, as a `CHAR` column pads) may be `written` cut, or with
 * characters replaced, or both. `json`: `written` is JSON text (`PAYLOAD`, `SIGNATURE`), which a
 * cut leaves unreadable whatever it was cut from.
 */
export function mayBeDamaged(stored: string, written: string, json: boolean): boolean {
  const s = stored.trimEnd();
  const w = written.trimEnd();
  // One replacement a UTF-16 unit (SQL Server, a surrogate pair as `??`) or a character (MySQL's
  // utf8mb3, a character outside the BMP as one `?`).
  if (linesUp(s.split(''), w.split('')) || linesUp([...s], [...w])) return true;
  // Written otherwise and damaged too (a row of an earlier layout stored cut, or with `?`).
  if (REPLACEMENTS.some((r) => count(s, r) > count(w, r))) return true;
  return json && !parses(s);
}

/**
 * Whether `stored` is no longer than `written` and, place by place, holds the written character or,
 * where that is not ASCII, any character (the replacement the database chose).
 */
function linesUp(stored: readonly string[], written: readonly string[]): boolean {
  if (stored.length > written.length) return false;
  for (let i = 0; i < stored.length; i += 1) {
    const w = written[i] as string;
    if (stored[i] !== w && (w.codePointAt(0) ?? 0) < 0x80) return false;
  }
  return true;
}

function count(text: string, char: string): number {
  let n = 0;
  for (let at = text.indexOf(char); at >= 0; at = text.indexOf(char, at + 1)) n += 1;
  return n;
}

function parses(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}
