/**
 * Values a database driver quotes in its message, hidden. Drivers quote the row's values:
 * `Duplicate entry '张三' for key …` (MySQL), `invalid input syntax for type date: "张三"` and
 * `Key (holder_id)=(…) already exists` (PostgreSQL), `The duplicate key value is (张三)` (SQL
 * Server). A holder's name has no shape to mask (core/mask.ts masks ID and phone numbers), so what
 * stands between the quotes goes whole; the quotes stay, so the message still reads. A licbridge
 * error quotes them too when it wraps a driver's words (`source x: query failed: …`).
 */

const QUOTED = /'[^'\n]*'|"[^"\n]*"|‘[^’\n]*’|“[^”\n]*”/g;
const BACKTICKED = /`[^`\n]*`/g;
const KEY_VALUE = /(=|value is )\([^)\n]*\)/g;
/**
 * A quoted name of a table, a column, an index or a constraint (`'uk_holder'`, `"FZRQ"`,
 * `'dbo.T_XKZ'`): ASCII letters, digits, `_`, `$`, `#` and dots, starting with a letter or `_`.
 * A name of a person is Han or holds a space; a date, a number or an ID number starts with a digit.
 */
const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_$#.]*$/;

export interface HideQuotedOptions {
  /** Hide what stands between backticks too: a driver's text (licbridge's own backticks name config values). */
  backticks: boolean;
  /** Keep a quoted text that reads as a database identifier ({@link IDENTIFIER}), for a person to act on. */
  keepIdentifiers?: boolean;
}

/** `text` with each quoted value, and each key value in parentheses, replaced by `***`. */
export function hideQuoted(text: string, options: HideQuotedOptions): string {
  const hide = (q: string): string =>
    options.keepIdentifiers === true && IDENTIFIER.test(q.slice(1, -1)) ? q : `${q[0]}***${q.at(-1)}`;
  const out = text.replace(QUOTED, hide).replace(KEY_VALUE, '$1(***)');
  return options.backticks ? out.replace(BACKTICKED, hide) : out;
}
