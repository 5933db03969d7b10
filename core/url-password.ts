/**
 * A URL's password written into free text (`connect postgres://lb:…@db/lic failed`, an HTTP client's
 * `GET https://u:…@host/`), hidden as `password=***` is (./credential-words.ts): the scheme, the
 * user, the host and the rest kept, `postgres://lb:***@db/lic`. An error's text hides the user too
 * (./error-text.ts maskUserInfo); a log line keeps it, the account to fix, no secret.
 *
 * Runs on whole serialized log lines, so it is structure-safe: a URL ends at white space, a quote
 * or a backslash (a JSON string's end or escape), and only what stands between the user's `:` and
 * the last `@` before that end is replaced. A password holding `@`, `/` or `:` as written (what
 * makes such a URL not parse) is hidden up to that last `@`, and one holding a quote or a backslash
 * escaped (`\"`, `\\`, as a log line writes them) too; what follows a password holding a quote
 * as written or a space is not read as the URL's. A URL whose slashes a JSON answer escaped
 * (`mysql:\/\/u:…@h\/db`) is read as one, an escaped slash no end of it.
 *
 * One pass, no pattern: each `://` is looked at once, the end of the word it stands in and its last
 * `@` found once for all the `://` it holds, and a user's run stops at the next `:` — so a line of
 * 100 kB of `a://` or `:@` is read a bounded number of times per character.
 */

/**
 * Ends a URL inside a text and a log line: white space, a quote, a backslash. By char code, as
 * every character of a word holding `://` is read: a pattern's test per character took ten times
 * as long on a log line naming a URL.
 */
const endsUrl = (c: number): boolean =>
  c <= 0x20 ||
  c === 0x22 ||
  c === 0x5c ||
  c === 0x85 ||
  c === 0xa0 ||
  c === 0x3000 ||
  c === 0xfeff ||
  (c >= 0x2000 && c <= 0x200a) ||
  c === 0x2028 ||
  c === 0x2029 ||
  c === 0x1680 ||
  c === 0x202f ||
  c === 0x205f;
const SCHEME_CHAR = /[A-Za-z0-9+.-]/;
const LETTER = /[A-Za-z]/;
/**
 * Ends a URL's user: a password's `:`, the authority's end, or an IPv6 host's `[` (RFC 3986
 * §3.2.2: `http://[::1]:8080/…`, whose `:` is no password's; a user never holds a `[`).
 */
const ENDS_USER = /[:/?#@[\\]/;
/**
 * `host:port/…` or `host:port?…` with an `@` later in the path or query: a port, no password; and
 * `host:port,…`, libpq's next host (`postgres://h1:5432,h2:5433/db`) or a field after the URL
 * (`dsn=postgres://db:5432,notify=\"ops@corp.cn\"` in a log line, whose escaped quotes do not end
 * the word).
 */
const PORT_THEN_PATH = /^[0-9]{1,5}[/?#\\,]/;
/** Already hidden, or a reference's placeholder: left as it is. */
const NO_PASSWORD = /^(?:\*\*\*|\[from |\[redacted\]|\$\{)/;

/** `text` with the password of each URL written in it made `***`. */
export function hideUrlPasswords(text: string): string {
  const plain = hideIn(text, '://', '');
  // Slashes escaped (`mysql:\/\/u:…@h\/db`), as a JSON answer from PHP's json_encode gives them,
  // and again in a log line, where that answer's backslashes are escaped themselves.
  if (!plain.includes(':\\')) return plain;
  return hideIn(hideIn(plain, ':\\/\\/', '\\/'), ':\\\\/\\\\/', '\\\\/');
}

/**
 * One pass over the URLs whose scheme `separator` ends (`://`, or with its slashes escaped), in
 * whose words `slash` (an escaped `/`, or none) does not end the word as a backslash does.
 */
function hideIn(text: string, separator: string, slash: string): string {
  let i = text.indexOf(separator);
  if (i < 0) return text;
  let out = '';
  let from = 0;
  // The word the last separator looked at stands in: its end and its last `@`, read once for all.
  let wordEnd = -1;
  let lastAt = -1;
  while (i >= 0) {
    if (i >= wordEnd) {
      wordEnd = i + separator.length;
      lastAt = -1;
      for (let c = text.charCodeAt(wordEnd); wordEnd < text.length; c = text.charCodeAt(wordEnd)) {
        if (c === 0x5c && slash !== '' && text.startsWith(slash, wordEnd)) {
          wordEnd += slash.length;
          continue;
        }
        // A quote or a backslash a password holds, escaped as a log line writes it (`pa\"ss`): part
        // of the word, or no `@` was found after it and the whole password stood. Read as a pair,
        // so what is hidden never splits an escape; a line break (`\n`) still ends the word.
        if (c === 0x5c && (text[wordEnd + 1] === '"' || text[wordEnd + 1] === '\\')) {
          wordEnd += 2;
          continue;
        }
        if (endsUrl(c)) break;
        if (c === 0x40) lastAt = wordEnd;
        wordEnd += 1;
      }
    }
    let next = i + separator.length;
    if (lastAt > i && isScheme(text, i)) {
      let colon = next;
      while (colon < lastAt && !ENDS_USER.test(text[colon] as string)) colon += 1;
      const pw = text.slice(colon + 1, lastAt);
      if (
        text[colon] === ':' &&
        colon < lastAt &&
        pw !== '' &&
        !PORT_THEN_PATH.test(pw) &&
        !NO_PASSWORD.test(pw)
      ) {
        out += `${text.slice(from, colon + 1)}***`;
        from = lastAt;
        next = lastAt;
      } else next = colon;
    }
    i = text.indexOf(separator, next);
  }
  return out + text.slice(from);
}

/** A scheme ends at `text[i]` (RFC 3986 §3.1): scheme characters, the first of them a letter. */
function isScheme(text: string, i: number): boolean {
  let start = i;
  while (start > 0 && SCHEME_CHAR.test(text[start - 1] as string)) start -= 1;
  while (start < i && !LETTER.test(text[start] as string)) start += 1;
  return start < i;
}
