// biome-ignore-all lint/suspicious/noTemplateCurlyInString: `${env:…}` is config reference syntax, not a template slip.
/**
 * A credential written into free text by whoever wrote the text: an HTTP client's error or a remote
 * answer echoing the request's `Authorization: Bearer …` header (RFC 6750 §2.1), a token in a URL's
 * query (`?access_token=…`, RFC 6750 §2.3), a connection string a driver quotes (`password=…`).
 * Only values from config references are known by value (scrub.ts registerSecret); a token fetched
 * at run time (OAuth2 client_credentials) or written in another system's config is known by the
 * words around it. It reached log lines, error text and what the CLI prints whole.
 */
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { safeErrorText } from '../../core/error-text.js';
import { ErrorCodes, LicbridgeError } from '../../core/errors.js';
import { scrubSecrets } from '../../core/scrub.js';
import { lineLogger } from '../support/log-lines.js';

/** A token as a gateway issues one: letters of both cases, digits, dots and dashes (a JWT). */
const token = (): string =>
  `eyJ${randomBytes(12).toString('base64url')}.${randomBytes(18).toString('base64url')}`;
const password = (): string => `Pw${randomBytes(9).toString('base64url')}!`;

/** Texts holding one credential each, as drivers, HTTP clients and remote answers write them. */
function cases(): { text: string; secret: string }[] {
  const t = [token(), token(), token(), token(), token(), token(), token()];
  const p = [password(), password(), password(), password()];
  return [
    { text: `Request failed with status code 401: Authorization: Bearer ${t[0]}`, secret: t[0] as string },
    {
      text: `HTTP 401: {"error":"invalid_token","request":{"headers":{"Authorization":"Bearer ${t[1]}"}}}`,
      secret: t[1] as string,
    },
    { text: `upstream said: bearer ${t[2]} expired`, secret: t[2] as string },
    { text: `GET https://gw.example.gov.cn/api/v1/licenses?token=${t[3]} failed`, secret: t[3] as string },
    { text: `GET https://gw.example.gov.cn/api?access_token=${t[4]}&page=2 failed`, secret: t[4] as string },
    { text: `token endpoint answered {"access_token":"${t[5]}","expires_in":7200}`, secret: t[5] as string },
    { text: `gateway refused x-api-key=${t[6]}`, secret: t[6] as string },
    {
      text: `connection to server failed: host=db user=lb password=${p[0]} dbname=lic`,
      secret: p[0] as string,
    },
    { text: `Login failed: Server=db;User Id=sa;Password=${p[1]};Database=SPXK`, secret: p[1] as string },
    { text: `DSN=legacy;UID=lb;PWD=${p[2]}`, secret: p[2] as string },
    { text: `options: {'user': 'lb', 'password': '${p[3]}'}`, secret: p[3] as string },
  ];
}

describe('a credential in free text', () => {
  it('is hidden from the text scrubSecrets gives, its key and the words around it kept', () => {
    const t = token();
    expect(scrubSecrets(`Authorization: Bearer ${t}`)).toBe('Authorization: Bearer ***');
    const p = password();
    expect(scrubSecrets(`host=db password=${p} dbname=lic`)).toBe('host=db password=*** dbname=lic');
    expect(scrubSecrets(`GET /api?access_token=${t}&page=2`)).toBe('GET /api?access_token=***&page=2');
  });

  it("is hidden from an error's text (status, the ledger, Redis, the CLI)", () => {
    for (const c of cases()) {
      expect(safeErrorText(c.text, { bounded: false })).not.toContain(c.secret);
      expect(safeErrorText(c.text, { bounded: false, numbers: 'shapes' })).not.toContain(c.secret);
      expect(new LicbridgeError(ErrorCodes.SOURCE_QUERY, `target province: ${c.text}`).message).not.toContain(
        c.secret,
      );
    }
  });

  it('is hidden from a log line, in its message, in any field and in an error logged', () => {
    for (const c of cases()) {
      const { logger, lines } = lineLogger();
      logger.warn({ detail: c.text, answer: { body: c.text } }, c.text);
      logger.error({ err: new Error(c.text) }, 'request failed');
      logger.warn(`remote said: ${c.text}`);
      expect(lines.length).toBe(3);
      for (const line of lines) expect(line).not.toContain(c.secret);
    }
  });

  it('leaves words about credentials that hold none as they are', () => {
    for (const text of [
      'signers.remote.auth: scheme bearer needs a token of at least 16 characters',
      'a bearer token fetched from tokenUrl and cached until it expires',
      'targets.province.auth.tokenUrl=https://gw.example.gov.cn/oauth/token: not reachable',
      'token: expired, fetching a new one',
      'Authorization: Basic auth is not offered by this platform',
      'password=[from ${env:DB_PASSWORD}] refused',
      '`token` must be written as ${env:NAME}',
      "Access denied for user 'lb_reader'@'10.0.0.5' (using password: YES)",
    ])
      expect(scrubSecrets(text)).toBe(text);
  });

  it('is hidden once: what was hidden is left as it is', () => {
    for (const c of cases()) {
      const once = scrubSecrets(c.text);
      expect(scrubSecrets(once)).toBe(once);
    }
  });
});

/**
 * The rule runs on whole serialized log lines: a value is hidden between its own quotes or as a
 * run of token characters, never past a quote or a backslash, and a colon followed by a word is
 * no credential (1618b566 hid `auth.password:\n…` to the line's end and broke its JSON).
 */
describe('hiding a credential in free text keeps the text around it', () => {
  it('leaves a log line that parses as JSON, its message as written but a cut-off value', () => {
    for (const [msg, logged] of [
      ['config problem at auth.password:\n  expected a reference', undefined],
      ['token endpoint answered {"access_token":"eyJabc123', 'token endpoint answered {"access_token":"***'],
      // A password after a colon, quoted and cut before its closing quote: hidden to the string's end.
      ['remote said password: "x and went on', 'remote said password: "***'],
      ["options: {'password': 'Pw1x", "options: {'password': '***"],
    ]) {
      const { logger, lines } = lineLogger();
      logger.warn({ pipeline: 'food', detail: 'next field "quoted"' }, msg);
      expect(lines.length).toBe(1);
      const line = JSON.parse(lines[0] as string) as { msg: string; detail: string };
      expect(line.msg).toBe(logged ?? msg);
      expect(line.detail).toBe('next field "quoted"');
    }
  });

  it('hides a quoted value cut before its closing quote up to where its text ends, the rest kept', () => {
    const t = token();
    // A remote answer cut at a length limit, as error text and the CLI show it.
    expect(scrubSecrets(`token endpoint answered {"access_token":"${t.slice(0, 20)}`)).toBe(
      'token endpoint answered {"access_token":"***',
    );
    expect(scrubSecrets(`answer {"password":"Pw1x\nnext line`)).toBe('answer {"password":"***\nnext line');
    // Inside a log line: the JSON string the cut value stands in ends it, the next field kept.
    const { logger, lines } = lineLogger();
    logger.warn({ answer: `{"access_token":"${t.slice(0, 20)}`, next: 'kept' }, 'cut');
    expect(JSON.parse(lines[0] as string)).toMatchObject({ answer: '{"access_token":"***', next: 'kept' });
  });

  it('hides a quoted value up to its first unescaped quote, in text and in a log line', () => {
    expect(scrubSecrets('{"password":"ab\\"cd"}')).toBe('{"password":"***"}');
    const { logger, lines } = lineLogger();
    logger.warn({ pipeline: 'food' }, 'body {"password":"ab\\"cd","user":"lb"} refused');
    logger.warn({ answer: '{"access_token":"eyJ.a\\\\b","expires_in":7200}' }, 'token answer');
    const parsed = lines.map((l) => JSON.parse(l) as { msg: string; answer?: string });
    expect(parsed[0]?.msg).toBe('body {"password":"***","user":"lb"} refused');
    expect(parsed[1]?.answer).toBe('{"access_token":"***","expires_in":7200}');
  });

  it('leaves words after a colon, and names that only end in a credential word', () => {
    for (const text of [
      'token: expired.',
      'token: invalid_grant',
      'password: 必填',
      'POST https://gw.example.gov.cn/oauth/token: CERT_HAS_EXPIRED',
      'TimeStampToken: der: unexpected end of data',
      'UPDATE delivery_claims SET lease_token = $3 WHERE id = $1',
      'nextPageToken=eyJhbGciOi12345 was not accepted',
      'WWW-Authenticate: Bearer realm="licbridge"',
      'a bearer token',
    ])
      expect(scrubSecrets(text)).toBe(text);
  });

  it('hides a value after `=` up to its parameter end, a bracket kept', () => {
    expect(scrubSecrets('(password=x)')).toBe('(password=***)');
    expect(scrubSecrets('x-api-key=abcdEF123&page=2')).toBe('x-api-key=***&page=2');
    expect(scrubSecrets('Server=db;Password=Pw!x(1;Database=SPXK')).toBe(
      'Server=db;Password=***(1;Database=SPXK',
    );
    expect(scrubSecrets('authorization:\n  bearer eyJabcdef12345')).toBe('authorization:\n  bearer ***');
    expect(scrubSecrets('Authorization: Basic dXNlcjpwYXNzd29yZA==')).toBe('Authorization: Basic ***');
    expect(scrubSecrets('HTTP 401: {"Authorization":"Bearer eyJab12345678"}')).toBe(
      'HTTP 401: {"Authorization":"Bearer ***"}',
    );
    expect(scrubSecrets('"Authorization":"abcdEFG123"')).toBe('"Authorization":"***"');
  });

  it('hides a header split across lines inside a log line, the line still JSON', () => {
    const t = token();
    const { logger, lines } = lineLogger();
    logger.warn(`request headers: Authorization:\n  Bearer ${t}\nAccept: */*`);
    const line = lines[0] as string;
    expect(line).not.toContain(t);
    expect((JSON.parse(line) as { msg: string }).msg).toBe(
      'request headers: Authorization:\n  Bearer ***\nAccept: */*',
    );
  });

  it('hides a credential at the start of a line of a log line, where a JSON escape stands before its key', () => {
    const [t, u, p] = [token(), token(), password()];
    const { logger, lines } = lineLogger();
    logger.warn({ conn: `host=db\npassword=${p}\ndbname=x` }, `failed\naccess_token=${t}`);
    logger.warn({ detail: `a\r\n\tBearer\n${u}` }, 'answer');
    const [first, second] = lines.map(
      (l) => JSON.parse(l) as { msg: string; conn?: string; detail?: string },
    );
    expect(first).toMatchObject({ msg: 'failed\naccess_token=***', conn: 'host=db\npassword=***\ndbname=x' });
    expect(second).toMatchObject({ detail: 'a\r\n\tBearer\n***' });
  });
});
