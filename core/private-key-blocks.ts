/**
 * A private key in PEM (RFC 7468 §2: `-----BEGIN RSA PRIVATE KEY-----`, a base64 body,
 * `-----END RSA PRIVATE KEY-----`; RFC 1421's `Proc-Type:` and `DEK-Info:` lines in an encrypted
 * one) quoted in free text — a TLS library's or a signer's error, a config value printed back —
 * has its body made `***`, the lines naming it kept: no word around it says it is a password. A
 * certificate's block is public and stays.
 *
 * Runs on whole serialized log lines, so it is structure-safe: the body hidden is a run of base64
 * characters, white space, `:`, `,`, `-` and line breaks written as escapes only, never a quote or
 * a backslash of anything else, and ends at the `-----END` line or where that run stops (a key cut
 * short, at the end of the JSON string holding it). A key kept in an environment variable or a JSON
 * value has its line breaks written `\n`, and a log line escapes that backslash again (`\\n`): a
 * run of backslashes and the `n`, `r` or `t` after it is one line break, hidden whole, so no escape
 * is split. One pass, no pattern over the body: each character is read once.
 */

/**
 * `-----BEGIN <label naming a private key>-----`, in either case (`-----begin private key-----`, as
 * a person or a tool lower-casing a config writes it): bounded, so a line of dashes is read once.
 */
const BEGIN = /-----BEGIN [A-Z0-9 ]{0,40}PRIVATE KEY(?: BLOCK)?-----/gi;
const MAY_BEGIN = /-----begin /i;
/** What a body holds: base64, padding, an encrypted key's header lines, white space. */
const BODY_CHAR = /[A-Za-z0-9+/=:,\s-]/;
/**
 * Backslashes before a line break's letter, at most: a key's `\n` as free text writes it (1), a log
 * line (2) and a JSON answer quoted in a log line (4); a run read whole is whole escapes either way.
 */
const MAX_ESCAPES = 8;
const BREAK_LETTER = /[nrt]/;

/** `text` with the body of each private key block made `***`. */
export function hidePrivateKeyBlocks(text: string): string {
  if (!MAY_BEGIN.test(text)) return text;
  let out = '';
  let from = 0;
  BEGIN.lastIndex = 0;
  for (let m = BEGIN.exec(text); m !== null; m = BEGIN.exec(text)) {
    const start = m.index + m[0].length;
    const end = bodyEnd(text, start);
    if (end > start) {
      out += `${text.slice(from, start)}***`;
      from = end;
    }
    BEGIN.lastIndex = end;
  }
  return out + text.slice(from);
}

/** Where the body that starts at `start` ends: at its `-----END`, or where a character no body holds stands. */
function bodyEnd(text: string, start: number): number {
  let i = start;
  while (i < text.length) {
    if (text.startsWith('-----', i)) return i;
    const c = text[i] as string;
    if (BODY_CHAR.test(c)) {
      i += 1;
      continue;
    }
    // A line break escaped once or more (`\n`, `\\n`): the backslashes and the letter, whole.
    let n = 0;
    while (n <= MAX_ESCAPES && text[i + n] === '\\') n += 1;
    if (n === 0 || n > MAX_ESCAPES || !BREAK_LETTER.test(text[i + n] ?? '')) return i;
    i += n + 1;
  }
  return i;
}
