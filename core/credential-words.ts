/**
 * A credential no config reference registered, named by the words written before it: an HTTP
 * client's error or a remote answer echoing the request's header (`Authorization: Bearer …`,
 * RFC 6750 §2.1, `X-Api-Key: …`, `Cookie: …`), a token in a URL's query (`?access_token=…`, §2.3),
 * a connection string a driver quotes (`password=…;`, `Password='…';`, ODBC's `PWD={…}`), a token
 * endpoint's or a gateway's JSON answer (`"access_token":"…"`, `"accessToken":"…"`), a password
 * after a colon (`password: …`, `密码：…`) or in a SQL statement (`IDENTIFIED BY '…'`), a URL's
 * password (./url-password.ts) and a private key's PEM body (./private-key-blocks.ts). A token
 * fetched at run time (OAuth2) or written in another system's config has no value to look for, so
 * the words around it decide.
 *
 * The rule runs on whole serialized log lines (core/logger.ts), so it is structure-safe: a hidden
 * value is a run of token characters only, never a quote or a backslash, and a quoted value is
 * hidden only between its own quotes when the closing one is there. Whatever surrounds it — a JSON
 * line's quotes and escapes, a bracket, a `;` — is left as it was. Free text cannot tell a string's
 * closing quote from a value's opening one, so a line the rules break is hidden string by string
 * instead (./scrub-log-line.ts).
 * Narrow by design: a token's key is a whole parameter name followed by `=` (`lease_token = $3`,
 * `nextPageToken=`, `TimeStampToken: der: …`, `token: expired` stay), a password's the end of one
 * (`db_password=`, `PGPASSWORD=`); a plain word after a colon stays (`password: expired`), and a
 * SQL placeholder is no password (`password = $1` stays); after a scheme only a value of eight or more token
 * characters (`Bearer realm="…"`, `bearer token` stay), but in a header line naming a credential
 * any value not a plain word (`Authorization: Bearer ab12`; `X-Api-Key: missing` stays).
 */

import { nextInArray, quotedValueEnd } from './credential-value-ends.js';
import { hidePrivateKeyBlocks } from './private-key-blocks.js';
import { hideUrlPasswords } from './url-password.js';

/** RFC 6750 §2.1 b64token, a URL's percent-escapes, and `=` padding at the end. */
const TOKEN_VALUE = '[A-Za-z0-9._~%+/-]+=*';
/** A password in a DSN or a query ends at a parameter's end, a space, a quote, an escape, a bracket or a comma. */
const PASSWORD_VALUE = `[^&;\\s"'\`\\\\()\\[\\]{}<>,]+`;
/**
 * Names as written in snake_case (RFC 6749) or in camelCase, as many gateways answer
 * (`accessToken`, `clientSecret`); a bare `secret` beside an `appKey` too.
 */
const TOKEN_KEYS = '(?:access_?|refresh_?|id_?)?token|api_?key|x-api-key';
/**
 * A password's or a secret's, and a key that is secret material as a whole (`SECRET_KEY`, Django's;
 * `aws_secret_access_key`, AWS's credentials file; `SIGNING_KEY`, `ENCRYPTION_KEY`), whose value
 * holds signs as a password's does (`django-insecure-8z!…`).
 */
const PASSWORD_KEYS =
  'passw(?:or)?d|pwd|(?:(?:client|app)_?)?secret|(?:secret_?access|secret|signing|encryption|private)_?key';
/**
 * A password's key as the end of a longer name, as an environment dump or a command line writes it
 * (`db_password`, psql's `PGPASSWORD`, mysql's `MYSQL_PWD`, `--password`, `OAUTH_CLIENT_SECRET`):
 * the value under it is as secret. Bounded and lazy, and tried only where a name starts (KEY_START),
 * so a long name is read a bounded number of times. Tokens keep the whole-name rule
 * (`lease_token`, `nextPageToken` name no credential).
 */
const PASSWORD_NAME = `[A-Za-z0-9_-]{0,64}?(?:${PASSWORD_KEYS})`;
/** A line break written raw or JSON-escaped inside a log line (`Authorization: Bearer\n  eyJ…`). */
const GAP = '(?:\\s|\\\\[nrt])+';
/**
 * Where a key may begin: not inside a longer name (`lease_token`, `nextPageToken`) — or just after a
 * JSON escape, as a line break, a tab or a control character stands in a log line (`"…\npassword=…"`),
 * whose last letter would otherwise read as part of the name.
 */
const KEY_START = '(?:(?<![A-Za-z0-9_-])|(?<=\\\\[nrtbf])|(?<=\\\\u[0-9a-fA-F]{4}))';
/** `=`, or the full-width `＝` a Chinese input method types (`password＝…`), after a password's name. */
const EQUALS = '[=＝]';

/**
 * `key=value`: the key a whole name (not `lease_token`, `nextPageToken`). Groups: a token's key
 * and `=` (1) and value (2), a password's (3, 4): a password holds signs a token has not (`Pw!x`).
 */
const KEY_VALUE = new RegExp(
  `${KEY_START}(?:((?:${TOKEN_KEYS})[ \\t]*=[ \\t]*)(${TOKEN_VALUE})|(${PASSWORD_NAME}[ \\t]*${EQUALS}[ \\t]*)(${PASSWORD_VALUE}))`,
  'gi',
);
/**
 * An environment variable's name ending in a token's or a key's (`GITHUB_TOKEN=`, `GATEWAY_API_KEY=`,
 * `AWS_SECRET_ACCESS_KEY=`), as an environment dump, a command line or YAML writes it (`=` or `:`):
 * upper case, words joined by `_` — case-sensitive, as a parameter's name in another case
 * (`nextPageToken=`, `page_token=`) names no credential. Groups: the name and its sign (1), the
 * sign (2), the value (3); a plain word after a colon stays (`GITHUB_TOKEN: missing`). Lazy and
 * bounded, tried only where a name starts.
 */
const ENV_NAME = '[A-Z][A-Z0-9_]{0,63}?_(?:TOKEN|API_?KEY|ACCESS_KEY|PRIVATE_KEY)';
const ENV_TOKEN = new RegExp(`${KEY_START}(${ENV_NAME}[ \\t]*([=:])[ \\t]*)(${TOKEN_VALUE})`, 'g');
/**
 * The same name with its value quoted, as a shell, a `.env` file, YAML, Node printing
 * `process.env` or JSON writes it (`GITHUB_TOKEN="…"`, `GITHUB_TOKEN: '…'`, `"GITHUB_TOKEN":"…"`):
 * the name, the sign and the quote kept (1), the quote (2).
 */
const ENV_QUOTED = new RegExp(`(${KEY_START}${ENV_NAME}(?:\\\\?["'])?[ \\t]*[=:][ \\t]*(\\\\?["']))`, 'g');
const MAY_ENV_QUOTE = /_(?:TOKEN|API_?KEY|ACCESS_KEY|PRIVATE_KEY)(?:\\?["'])?[ \t]*[=:][ \t]*\\?["']/;
/**
 * A scheme and its credential: `bearer` anywhere, `basic` and `token` after `Authorization` (a
 * header, or a JSON pair naming it, escaped in a log line). Groups: the words kept (1), the value (2).
 */
const SCHEME_VALUE = new RegExp(
  `(${KEY_START}(?:bearer|(?<=authorization(?:[\\\\"':=\\s]|\\\\n){1,8})(?:basic|token))${GAP})([A-Za-z0-9._~+/-]{8,}=*)(?![A-Za-z0-9._~+/=-])`,
  'gi',
);
/** Headers whose whole value is a credential: RFC 9110 §11.6.2 and §11.7.2, and gateways' API key headers. */
const HEADER_KEYS = '(?:proxy-)?authorization|x-api-key|api-key|x-auth-token|x-access-token';
/**
 * `"password":"` / `'password': '` / `\"password\":\"`, a header's name as JSON or Node writes
 * it (`"X-Auth-Token":"`, `'set-cookie': [ '`): the key, the opening quote and an array's `[`
 * kept (1), the quote (2). An array printed over several lines (Node's, JSON.stringify(x, null, 2))
 * has a line break after its `[`, raw or escaped in a log line.
 */
const QUOTED_KEY = new RegExp(
  `((\\\\?["'])(?:${TOKEN_KEYS}|${PASSWORD_NAME}|${HEADER_KEYS}|cookie|set-cookie)\\2\\s*:\\s*(?:\\[(?:\\s|\\\\[nrt])*)?\\2)`,
  'gi',
);
/**
 * A key as Node prints an object's when it needs no quotes (`{ host: 'db', password: '…' }`,
 * `{ accessToken: '…' }`, one a line when they do not fit on one): after `{`, `,` or a line's
 * start, raw or escaped in a log line. The key and the opening quote kept (1), the quote (2).
 */
const PRINTED_KEY = new RegExp(
  `((?:[{,]|\\n|\\\\n)[ \\t]*(?:${TOKEN_KEYS}|${PASSWORD_KEYS})[ \\t]*:[ \\t]*(?:\\[[ \\t]*)?(\\\\?["']))`,
  'gi',
);
/**
 * `password='…'`, `password="…"` (a value holding a space or a `;`), ODBC's `PWD={…}`: the key,
 * `=` and the opening quote or brace kept (1), the quote or brace (2). Any quote after the `=`
 * opens a value, whatever follows it: a password may start with any sign (`"]Pw x"`, `":9xK#p"`),
 * and no look-ahead tells it from the quote closing a string the key ends
 * (`"url":"…?access_token=","page":2`), whose next string is then hidden too. Hiding more is
 * the safe side; a log line is kept one JSON object by scrub-log-line.ts. SQL's way of writing the
 * literal is kept before its quote: SQL Server's national string (`PASSWORD = N'…'`), whose `N`
 * was hidden and the literal shown, and MySQL's `PASSWORD('…')` (`SET PASSWORD = PASSWORD('…')`).
 */
const SQL_LITERAL_OPENER = String.raw`(?:N(?=')|PASSWORD[ \t]*\([ \t]*)?`;
const QUOTED_SETTING = new RegExp(
  `(${KEY_START}(?:${TOKEN_KEYS}|${PASSWORD_NAME})[ \\t]*${EQUALS}[ \\t]*${SQL_LITERAL_OPENER}(\\\\?["']|\\{))`,
  'gi',
);
/**
 * A password's name and a colon, half- or full-width, in free text, as a person, a form's echo or a
 * gateway's answer writes it (`password: …`, `密码：…`, `口令: …`): its name (1), its value (2),
 * one run of ASCII signs other than a quote, a backslash, a bracket or a separator — words after
 * the colon in Chinese (`密码：错误`) or in English (`password: expired`, a plain word) stay.
 * Tokens are left to their other rules (`token: expired`, `TimeStampToken: der: …`).
 */
const SPOKEN_NAME = `${KEY_START}(?:${PASSWORD_NAME}|密码|口令)[ \\t]*[:：][ \\t]*`;
const SPOKEN_VALUE = new RegExp(`(${SPOKEN_NAME})([!#$%*+./0-9:=?@A-Z^_a-z|~-]+)`, 'gi');
/**
 * The same with a quoted value (`password: 'a b'`, `密码：“…”`, Markdown's `` `…` ``, a word
 * processor's `‘…’`): the name and the quote kept (1), the quote (2).
 */
const SPOKEN_QUOTED = new RegExp(`(${SPOKEN_NAME}(\\\\?["']|[\`‘“「『]))`, 'gi');
/**
 * `value` without the `.` and `:` ending a sentence (`password: expired.`), cut from the back in
 * one pass: a pattern anchored at the end (`/[.:]+$/`) tried each start in a run of them, and a
 * value of 100 kB of `.` and one letter took seconds.
 */
function withoutSentenceEnd(value: string): string {
  let end = value.length;
  while (end > 0 && (value[end - 1] === '.' || value[end - 1] === ':')) end -= 1;
  return value.slice(0, end);
}
/**
 * A password in a SQL statement a driver echoes: `IDENTIFIED [WITH plugin] BY [PASSWORD|VALUES] '…'`
 * (MySQL, MariaDB, Oracle), PostgreSQL's `[ENCRYPTED] PASSWORD '…'` (CREATE/ALTER ROLE), MySQL's
 * `SET PASSWORD FOR <account> = ['…'|PASSWORD('…')]`, and the old password Oracle's `IDENTIFIED BY
 * … REPLACE '…'` names: the words and the quote kept (1), the quote (2). Oracle's `IDENTIFIED BY …`
 * and `REPLACE …` unquoted: the words (1), the value (2), unless it is a placeholder
 * (`IDENTIFIED BY :1`). The account and the new password before `REPLACE` are read bounded, and
 * `REPLACE`'s look back only where the word stands (not `REPLACE(…)`, `REPLACE INTO`).
 */
const SQL_BY = String.raw`IDENTIFIED(?:[ \t]+WITH[ \t]+[A-Za-z0-9_]{1,64})?[ \t]+BY[ \t]+`;
// The account from its first sign that is no space to the `=`, one way only: spaces that `FOR[ \t]+`,
// the account and a `[ \t]*` before `=` could each take were split between them every way there is.
const SQL_SET_FOR = String.raw`SET[ \t]+PASSWORD[ \t]+FOR[ \t]+[^=;\n \t][^=;\n]{0,199}=[ \t]*(?:PASSWORD[ \t]*\([ \t]*)?`;
const SQL_REPLACE = String.raw`[ \t]REPLACE(?<=${SQL_BY}[^;\n]{1,160}[ \t]REPLACE)[ \t]+`;
const SQL_QUOTED = new RegExp(
  `((?:${KEY_START}(?:${SQL_BY}(?:(?:PASSWORD|VALUES)[ \\t]+)?|PASSWORD[ \\t]+|${SQL_SET_FOR})|${SQL_REPLACE})(\\\\?["']))`,
  'gi',
);
const SQL_UNQUOTED = new RegExp(
  `(${KEY_START}${SQL_BY}(?!(?:PASSWORD|VALUES)[ \\t])|${SQL_REPLACE})([^\\s;'"\`\\\\(),]+)`,
  'gi',
);
/**
 * A SQL statement's placeholder where a password goes (`SET password = $1`, `?`, `:1`, `@p1`): no
 * password. The source of a pattern, case-insensitive, so that error text (./error-text.ts) leaves
 * the same placeholders.
 */
export const PLACEHOLDER_SOURCE = String.raw`(?:\$[0-9]{1,3}|\?|:[0-9]{1,3}|@p[0-9]{1,3})`;
const PLACEHOLDER = new RegExp(`^${PLACEHOLDER_SOURCE}$`, 'i');
/**
 * A header line (`X-Api-Key: …`, `Authorization: [scheme] …`, or as Node prints a request's
 * headers, `authorization: 'Basic …'`), where the words after the colon are the credential whatever
 * its length. Groups: the name, colon, quote and scheme kept (1), the value (2). Linear: the value
 * is one run of token characters after a header's name, read once.
 */
const HEADER_VALUE = new RegExp(
  `(${KEY_START}(?:${HEADER_KEYS})[ \\t]*:[ \\t]*(?:\\\\?["'])?(?:(?:bearer|basic|token)[ \\t]+)?)(${TOKEN_VALUE})(?![A-Za-z0-9._~%+/=-])`,
  'gi',
);
/** `Cookie:` / `Set-Cookie:`, and the quote a value written as a string opens: kept (RFC 6265 §4.2, §4.1). */
const COOKIE_HEADER = new RegExp(`${KEY_START}(?:(set-)|)cookie[ \\t]*:[ \\t]*(?:\\\\?['"])?`, 'gi');
/**
 * One cookie's `name=value` and the `; ` after it (RFC 6265 §4.2.1): its value ends at a space, a
 * quote, a backslash, a `,` or a `;`, so what holds the header (a JSON string) is left as it was.
 * Sticky, and matching nothing where no pair stands, so it never reads past the place it is put.
 */
const COOKIE_PAIR = /(?:([!#$%&*+.^_|~0-9A-Za-z-]+=)([^;\s"'\\,]*)(;[ \t]*)?)?/y;

/** Cheap test first: most log lines and messages name no credential's word. */
const MAY_NAME_CREDENTIAL =
  /bearer|token|passw|pwd|secret|api_?key|api-key|access_key|private_?key|signing_?key|encryption_?key|authori|cookie|identified|密码|口令/i;
/**
 * Cheap tests of each rule that reads a line whole, with a look behind at every character: a quote
 * or a brace after `=`, a header's name, a cookie's; most lines naming a credential have none.
 */
const MAY_QUOTE_SETTING = /[=＝][ \t]*(?:\\?["']|\{|[Nn]'|password[ \t]*\()/i;
const MAY_NAME_HEADER = /authori|api-key|-token/i;
const MAY_NAME_COOKIE = /cookie/i;
const MAY_SPEAK = /[:：]/;
const MAY_SQL = /identified|password[ \t]/i;
/** Already hidden, or a reference's placeholder: left as it is. */
const NO_CREDENTIAL = /^(?:\*\*\*|\[from |\[redacted\]|\$\{)/;
/** A word of text, hidden under no scheme: `Bearer authentication`, `bearer credentials`. */
const PLAIN_WORD = /^(?:[A-Z]?[a-z]+|[A-Z]+)$/;
const SCHEME_AT_START = /^(?:bearer|basic|token)(?:\s|\\[nrt])+/i;
/** A quoted value's credential after its scheme: one run of token characters. */
const ONE_TOKEN = /^[A-Za-z0-9._~+/-]+=*$/;

/** `text` with each credential its words name made `***`, its key, scheme, quotes and separators kept. */
export function hideCredentials(text: string): string {
  // A URL's password needs no word to name it: its place in the URL does (./url-password.ts); nor
  // does a private key's body, its PEM lines (./private-key-blocks.ts).
  const urls = hideUrlPasswords(hidePrivateKeyBlocks(text));
  if (!MAY_NAME_CREDENTIAL.test(urls)) return urls;
  const quoted = hideQuoted(hideQuoted(urls, QUOTED_KEY), PRINTED_KEY);
  const set = MAY_QUOTE_SETTING.test(quoted) ? hideQuoted(quoted, QUOTED_SETTING) : quoted;
  const settings = MAY_ENV_QUOTE.test(set) ? hideQuoted(set, ENV_QUOTED) : set;
  const spoken = MAY_SPEAK.test(settings) ? hideSpoken(settings) : settings;
  const sql = MAY_SQL.test(spoken) ? hideSql(spoken) : spoken;
  const keyed = sql.replace(
    KEY_VALUE,
    (all, tokenKey?: string, t?: string, passwordKey?: string, p?: string, at?: number) =>
      NO_CREDENTIAL.test(t ?? p ?? '') ||
      PLACEHOLDER.test(p ?? '') ||
      opensSqlLiteral(p, sql[(at as number) + all.length])
        ? all
        : `${tokenKey ?? passwordKey}***`,
  );
  const named = keyed.replace(ENV_TOKEN, (all, name: string, sign: string, value: string) =>
    NO_CREDENTIAL.test(value) || (sign === ':' && PLAIN_WORD.test(withoutSentenceEnd(value)))
      ? all
      : `${name}***`,
  );
  const schemed = named.replace(SCHEME_VALUE, (all, lead: string, value: string) =>
    PLAIN_WORD.test(value) ? all : `${lead}***`,
  );
  const headed = MAY_NAME_HEADER.test(schemed)
    ? schemed.replace(HEADER_VALUE, (all, lead: string, value: string) =>
        PLAIN_WORD.test(value) ? all : `${lead}***`,
      )
    : schemed;
  return MAY_NAME_COOKIE.test(headed) ? hideCookies(headed) : headed;
}

/**
 * `N` before a SQL Server national string (`PASSWORD = N'…'`) or `PASSWORD` before MySQL's
 * `PASSWORD('…')`: how SQL writes the literal QUOTED_SETTING hid, no password of its own.
 */
const opensSqlLiteral = (value: string | undefined, next: string | undefined): boolean =>
  (next === "'" && (value === 'N' || value === 'n')) || (next === '(' && value?.toUpperCase() === 'PASSWORD');

/** A value to hide after a colon or in SQL: none already hidden, a placeholder or a plain word. */
const hides = (value: string, wordsStay: boolean): boolean =>
  !NO_CREDENTIAL.test(value) &&
  !PLACEHOLDER.test(value) &&
  !(wordsStay && PLAIN_WORD.test(withoutSentenceEnd(value)));

/** {@link SPOKEN_QUOTED} and {@link SPOKEN_VALUE}. */
function hideSpoken(text: string): string {
  return hideQuoted(text, SPOKEN_QUOTED).replace(SPOKEN_VALUE, (all, lead: string, value: string) =>
    hides(value, true) ? `${lead}***` : all,
  );
}

/** {@link SQL_QUOTED} and {@link SQL_UNQUOTED}. */
function hideSql(text: string): string {
  return hideQuoted(text, SQL_QUOTED).replace(SQL_UNQUOTED, (all, lead: string, value: string) =>
    hides(value, false) ? `${lead}***` : all,
  );
}

/**
 * Each cookie's value after `Cookie:` (every pair: a session's name says nothing of which holds
 * it) and the first after `Set-Cookie:` (the cookie; its attributes, `Path=/`, stay).
 */
function hideCookies(text: string): string {
  let out = '';
  let from = 0;
  COOKIE_HEADER.lastIndex = 0;
  for (let m = COOKIE_HEADER.exec(text); m !== null; m = COOKIE_HEADER.exec(text)) {
    let at = m.index + m[0].length;
    for (;;) {
      COOKIE_PAIR.lastIndex = at;
      const pair = COOKIE_PAIR.exec(text);
      if (pair?.[1] === undefined) break;
      const start = at + (pair[1] as string).length;
      const value = pair[2] as string;
      if (value !== '' && !NO_CREDENTIAL.test(value)) {
        out += `${text.slice(from, start)}***`;
        from = start + value.length;
      }
      at += pair[0].length;
      if (m[1] !== undefined || pair[3] === undefined) break;
    }
    COOKIE_HEADER.lastIndex = at;
  }
  return out + text.slice(from);
}

/**
 * Each value `key` opens (a {@link QUOTED_KEY} pair, a {@link QUOTED_SETTING}) hidden between its
 * quotes or braces; a value cut before its closing quote (a remote answer cut at a length limit),
 * up to where the text that holds it ends.
 */
function hideQuoted(text: string, key: RegExp): string {
  let out = '';
  let from = 0;
  key.lastIndex = 0;
  for (let m = key.exec(text); m !== null; m = key.exec(text)) {
    const opener = m[2] as string;
    // An array's strings each (`"Set-Cookie":["sid=…; Path=/","lang=…"]`), one after the other.
    for (let start = m.index + m[0].length; start >= 0; ) {
      const end = quotedValueEnd(text, start, opener);
      if (end <= start) break;
      // Read once: a value left as it is is not read again from a key inside it (a braced one cut
      // before its `}` runs to the line's end, and a line of `pwd={***` was read once for each key).
      key.lastIndex = end;
      const shown = shownOf(text.slice(start, end));
      if (shown >= 0) {
        out += `${text.slice(from, start + shown)}***`;
        from = end;
      }
      start = m[0].includes('[') ? nextInArray(text, end, opener) : -1;
    }
  }
  return out + text.slice(from);
}

/**
 * How much of a quoted value stays before `***`: none, or a scheme (`"Authorization":"Bearer …"`,
 * a token of any length after it, not a plain word, hidden; words after it are left to
 * SCHEME_VALUE, `Bearer token expired`); -1 for a value left as it is.
 */
function shownOf(value: string): number {
  if (NO_CREDENTIAL.test(value)) return -1;
  const scheme = SCHEME_AT_START.exec(value);
  if (scheme === null) return 0;
  const token = value.slice(scheme[0].length);
  return !ONE_TOKEN.test(token) || PLAIN_WORD.test(token) || NO_CREDENTIAL.test(token)
    ? -1
    : scheme[0].length;
}
