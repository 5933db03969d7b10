/**
 * An HTTP client's error or a gateway's echo writes the request's header lines into text
 * (`X-Api-Key: …`, `Authorization: Bearer …`, `Cookie: …`). Only a scheme's value of eight or more
 * characters was hidden: an API key's header, a short bearer token, a raw `Authorization` value
 * and a session cookie went out whole.
 */
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { safeErrorText } from '../../core/error-text.js';
import { scrubSecrets } from '../../core/scrub.js';
import { lineLogger } from '../support/log-lines.js';
import { regexpScans } from './regexp-scans.js';

/** Made up: letters of both cases and digits, as keys and session ids are. */
const key = (): string => `k${randomBytes(12).toString('base64url')}`;

describe('a header line written into text', () => {
  it('has its credential hidden, the header name, the scheme and what follows kept', () => {
    const k = key();
    for (const [text, hidden] of [
      [`request: X-Api-Key: ${k}`, 'request: X-Api-Key: ***'],
      [`api-key: ${k}\nAccept: */*`, 'api-key: ***\nAccept: */*'],
      [`X-Auth-Token: ${k} refused`, 'X-Auth-Token: *** refused'],
      ['Authorization: Bearer ab12', 'Authorization: Bearer ***'],
      [`Authorization: ${k}`, 'Authorization: ***'],
      [`Proxy-Authorization: Basic ${k}==`, 'Proxy-Authorization: Basic ***'],
      [`Cookie: SESSION=${k}; lang=zh`, 'Cookie: SESSION=***; lang=***'],
      [`Set-Cookie: JSESSIONID=${k}; Path=/; HttpOnly`, 'Set-Cookie: JSESSIONID=***; Path=/; HttpOnly'],
      [`headers: { cookie: 'SESSION=${k}' }`, "headers: { cookie: 'SESSION=***' }"],
      [`{"headers":{"Cookie":"SESSION=${k}; lang=zh"}}`, '{"headers":{"Cookie":"***"}}'],
      ['{"headers":{"Authorization":"Bearer ab12"}}', '{"headers":{"Authorization":"Bearer ***"}}'],
      ["{ authorization: 'Basic dTpw' }", "{ authorization: 'Basic ***' }"],
    ])
      expect(scrubSecrets(text as string)).toBe(hidden);
  });

  it("is hidden from an error's text and a log line, which still parses", () => {
    const k = key();
    const text = `gateway echoed: X-Api-Key: ${k}\nCookie: SESSION=${k}x`;
    expect(safeErrorText(text, { bounded: false })).not.toContain(k);
    const { logger, lines } = lineLogger();
    logger.warn({ detail: text }, text);
    expect(lines.length).toBe(1);
    expect(lines[0]).not.toContain(k);
    expect(JSON.parse(lines[0] as string)).toMatchObject({
      msg: 'gateway echoed: X-Api-Key: ***\nCookie: SESSION=***',
    });
  });

  it('leaves words that say what a header lacks', () => {
    for (const text of [
      'X-Api-Key: missing',
      'Authorization: Basic auth is not offered by this platform',
      'Authorization: Bearer token expired',
      'WWW-Authenticate: Bearer realm="licbridge"',
      'Cookie: none sent',
      '{"Authorization":"Bearer token expired"}',
      'api-key: ***',
    ])
      expect(scrubSecrets(text)).toBe(text);
  });

  it('is read in proportion to the text, on long lines of header names and of cookies', () => {
    for (const line of [
      (n: number) => `${'X-Api-Key: Authorization: Cookie: a=b;'.repeat(n)}${'c'.repeat(n * 40)}`,
      (n: number) => `Cookie: ${'a=b; '.repeat(n * 10)}`,
      (n: number) => `${'Set-Cookie: a=b; Path=/; Authorization: Bearer x-'.repeat(n)}`,
      (n: number) => `{"Authorization":"Bearer ${'a '.repeat(n * 25)}`,
      (n: number) => `${'{"Authorization":"Bearer '.repeat(n * 2)}`,
    ]) {
      const per = (n: number): number => regexpScans(() => scrubSecrets(line(n))).chars / line(n).length;
      // 100 kB and more: finishes, and reads about as many characters for each as a short line does.
      expect(line(2_500).length).toBeGreaterThan(100_000);
      expect(per(2_500)).toBeLessThan(per(50) * 2);
    }
  });
});
