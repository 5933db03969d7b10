/**
 * A private key in PEM (RFC 7468 §2: `-----BEGIN RSA PRIVATE KEY-----`, a base64 body,
 * `-----END RSA PRIVATE KEY-----`; RFC 1421's `Proc-Type:` and `DEK-Info:` lines in an encrypted
 * one) quoted in free text — a TLS library's or a signer's error, a config value printed back —
 * has its body made `***`, the lines naming it kept: no word around it says it is a password. A
 * certificate's block is public and stays.
 *
 * Runs on whole serialized log lines, so it is structure-safe: the body hidden is a run of base64
 * characters, white space, `:`, `,`, `-` and the JSON escapes of a line break only, never a quote
 * or a backslash of anything else, and ends at the `-----END` line or where that run stops (a key
 * cut short). One pass, no pattern over the body: each character is read once.
 */

/** `-----BEGIN <label naming a private key>-----`: bounded, so a line of dashes is read once. */
const BEGIN = /-----BEGIN [A-Z0-9 ]{0,40}PRIVATE KEY(?: BLOCK)?-----/gi;
/** What a body holds: base64, padding, an encrypted key's header lines, white space. */
const BODY_CHAR = /[A-Za-z0-9+/=:,\s-]/;
/** A line break, a tab or a return as a log line writes it inside a JSON string. */
const ESCAPED_BREAK = /\\[nrt]/y;

/** `text` with the body of each private key block made `***`. */
export function hidePrivateKeyBlocks(text: string): string {
  if (!text.includes('-----BEGIN ')) return text;
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
    ESCAPED_BREAK.lastIndex = i;
    if (!ESCAPED_BREAK.test(text)) return i;
    i += 2;
  }
  return i;
}
