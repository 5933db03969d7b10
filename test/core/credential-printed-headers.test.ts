/**
 * A credential's header or key written as an object's key: in JSON (`{"X-Auth-Token":"…"}`), as
 * Node prints headers (`{ 'x-auth-token': '…' }`) and an object whose keys need no quotes
 * (`{ host: 'db', password: '…' }`), and Set-Cookie as the array Node and fetch give it
 * (`{"Set-Cookie":["sid=…; Path=/"]}`). Each went out whole in a log line and in what scrubSecrets
 * gives; an error's text hid the header's name and showed the token (`{"***":"…"}`).
 */
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { safeErrorText } from '../../core/error-text.js';
import { scrubSecrets } from '../../core/scrub.js';
import { lineLogger } from '../support/log-lines.js';
import { regexpScans } from './regexp-scans.js';

/** Made up: letters of both cases and digits, as keys and session ids are. */
const key = (): string => `k${randomBytes(12).toString('base64url')}`;

const cases = (k: string): [string, string][] => [
  [`{"X-Auth-Token":"${k}"}`, '{"X-Auth-Token":"***"}'],
  [`{"x-access-token":"${k}","accept":"*/*"}`, '{"x-access-token":"***","accept":"*/*"}'],
  [`{"Api-Key":"${k}"}`, '{"Api-Key":"***"}'],
  [`{"Proxy-Authorization":"Basic ${k}"}`, '{"Proxy-Authorization":"Basic ***"}'],
  [
    `{ 'x-auth-token': '${k}', 'content-type': 'text/plain' }`,
    "{ 'x-auth-token': '***', 'content-type': 'text/plain' }",
  ],
  [`{"Set-Cookie":["sid=${k}; Path=/"]}`, '{"Set-Cookie":["***"]}'],
  [`{ 'set-cookie': [ 'sid=${k}; Path=/', 'lang=${k}x' ] }`, "{ 'set-cookie': [ '***', '***' ] }"],
  [`{"authorization":["Bearer ${k}"]}`, '{"authorization":["Bearer ***"]}'],
  [`{ host: 'db', password: '${k}' }`, "{ host: 'db', password: '***' }"],
  [`{ accessToken: '${k}', expiresIn: 7200 }`, "{ accessToken: '***', expiresIn: 7200 }"],
  [`{\n  user: 'lb',\n  pwd: "it's ${k}"\n}`, `{\n  user: 'lb',\n  pwd: "***"\n}`],
];

describe('a credential written as an object key', () => {
  it('has its value hidden, the key and the rest kept', () => {
    for (const [text, hidden] of cases(key())) expect(scrubSecrets(text)).toBe(hidden);
  });

  it("is hidden from an error's text and a log line, which still parses", () => {
    const k = key();
    for (const [text, hidden] of cases(k)) {
      expect(safeErrorText(text, { bounded: false })).not.toContain(k);
      const { logger, lines } = lineLogger();
      logger.warn({ detail: text, next: 'kept' }, text);
      expect(lines.length).toBe(1);
      expect(lines[0]).not.toContain(k);
      expect(JSON.parse(lines[0] as string)).toMatchObject({ detail: hidden, msg: hidden, next: 'kept' });
    }
  });

  it('leaves keys that only end like one and words that are no object', () => {
    for (const text of [
      "{ nextPageToken: 'abc123', lease_token: 'x' }",
      "{ host: 'db', passwordHint: 'ask ops' }",
      'the password: it was wrong',
      '{"items":["a","b"],"token":[]}',
    ])
      expect(scrubSecrets(text)).toBe(text);
  });

  it('is read in proportion to the text, on long lines of keys and arrays', () => {
    for (const line of [
      (n: number) => `{ ${"password: '', ".repeat(n * 6)}`,
      (n: number) => `{"Set-Cookie":[${'"a=b", '.repeat(n * 12)}`,
      (n: number) => `${"{ 'set-cookie': [ '".repeat(n * 5)}`,
    ]) {
      const per = (n: number): number => regexpScans(() => scrubSecrets(line(n))).chars / line(n).length;
      expect(line(2_500).length).toBeGreaterThan(100_000);
      expect(per(2_500)).toBeLessThan(per(50) * 2);
    }
  });
});
