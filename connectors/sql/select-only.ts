/**
 * The gate in front of query streams: a configured query must be ONE read-only SELECT (or
 * WITH … SELECT). It is checked before it reaches the database — a department gives licbridge a
 * login on its production system, and a typo'd `DELETE` must never run. Read-only transactions
 * (where the dialect has them) are the second line; this check is the one every dialect gets.
 */
import { ErrorCodes, LicbridgeError } from '../../core/errors.js';

// Statements and clauses that write, lock, or run arbitrary code (`REPLACE` and `SET` are left
// out: `REPLACE(col, …)` and `CHARACTER SET` are everyday read-only SQL; `REPLACE INTO` is caught
// by `INTO`). `INTO` covers SELECT … INTO (a
// new table in SQL Server and PostgreSQL); `FOR UPDATE` / `FOR SHARE` take row locks that block
// the department's own application.
const FORBIDDEN = new Set([
  'INSERT',
  'UPDATE',
  'DELETE',
  'MERGE',
  'UPSERT',
  'INTO',
  'CREATE',
  'DROP',
  'ALTER',
  'TRUNCATE',
  'RENAME',
  'GRANT',
  'REVOKE',
  'EXEC',
  'EXECUTE',
  'CALL',
  'COPY',
  'LOCK',
  'UNLOCK',
  'HANDLER',
  'LOAD',
  'DECLARE',
  'BEGIN',
  'COMMIT',
  'ROLLBACK',
  'SAVEPOINT',
  'VACUUM',
  'ANALYZE',
  'ATTACH',
  'DETACH',
  'PRAGMA',
  'SHUTDOWN',
  'KILL',
  'OUTFILE',
  'DUMPFILE',
]);

/** Replaces comments, string literals and quoted identifiers with a space, keeping the structure. */
export function stripLiterals(sql: string): string {
  let out = '';
  let i = 0;
  const n = sql.length;
  while (i < n) {
    const c = sql[i] as string;
    const next = sql[i + 1];
    if (c === '-' && next === '-') {
      const end = sql.indexOf('\n', i);
      i = end < 0 ? n : end + 1;
      out += ' ';
    } else if (c === '/' && next === '*') {
      const end = sql.indexOf('*/', i + 2);
      if (end < 0) throw new Error('an unterminated /* comment');
      i = end + 2;
      out += ' ';
    } else if (c === "'" || c === '"' || c === '`' || c === '[') {
      // '' inside a string (and "" inside an identifier) is an escaped quote, not the end.
      const close = c === '[' ? ']' : c;
      let j = i + 1;
      for (;;) {
        const k = sql.indexOf(close, j);
        if (k < 0) throw new Error(`an unterminated ${c} quote`);
        if (sql[k + 1] === close && close !== ']') j = k + 2;
        else {
          i = k + 1;
          break;
        }
      }
      out += c === "'" ? " '' " : ' "q" ';
    } else if (c === '$' && /^\$[A-Za-z_]*\$/.test(sql.slice(i, i + 64))) {
      // PostgreSQL dollar quoting: $$ … $$ or $tag$ … $tag$.
      const tag = (/^\$[A-Za-z_]*\$/.exec(sql.slice(i, i + 64)) as RegExpExecArray)[0];
      const end = sql.indexOf(tag, i + tag.length);
      if (end < 0) throw new Error(`an unterminated ${tag} quote`);
      i = end + tag.length;
      out += " '' ";
    } else {
      out += c;
      i += 1;
    }
  }
  return out;
}

function rejected(source: string, detail: string): LicbridgeError {
  return new LicbridgeError(
    ErrorCodes.USAGE,
    `source ${source}: query rejected: ${detail}; a stream query must be one read-only SELECT`,
    { context: { source } },
  );
}

/**
 * Checks that `sql` is a single SELECT without writes or locks, and returns it without a trailing
 * semicolon (ready to wrap as a subquery). Throws a USAGE error naming what was found.
 */
export function assertSingleSelect(source: string, sql: string): string {
  let bare: string;
  try {
    bare = stripLiterals(sql);
  } catch (e) {
    throw rejected(source, `cannot parse it: ${(e as Error).message}`);
  }
  const trimmed = bare.trim().replace(/;\s*$/, '');
  if (trimmed.includes(';')) throw rejected(source, 'it holds more than one statement');
  const words: string[] = trimmed.toUpperCase().match(/[A-Z_][A-Z0-9_$#]*/g) ?? [];
  const first = words[0];
  if (first !== 'SELECT' && first !== 'WITH') {
    throw rejected(source, `it starts with \`${first ?? '(nothing)'}\``);
  }
  for (let w = 0; w < words.length; w++) {
    const word = words[w] as string;
    if (FORBIDDEN.has(word)) throw rejected(source, `it contains \`${word}\``);
    if (word === 'FOR' && (words[w + 1] === 'UPDATE' || words[w + 1] === 'SHARE')) {
      throw rejected(source, `it contains \`FOR ${words[w + 1]}\``);
    }
  }
  if (!words.includes('SELECT')) throw rejected(source, 'it has no SELECT');
  return sql.trim().replace(/;\s*$/, '');
}
