/**
 * A URL written with its slashes escaped, as a JSON answer from PHP's json_encode or a Java
 * gateway gives it (`{"url":"mysql:\/\/u:…@h\/db"}`), held its password whole in a log line and in
 * what scrubSecrets gives: the password's rule looked for `://` as written, and a backslash ended
 * the URL. An error's text hid it already, with the rest of the URL.
 */
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { scrubSecrets } from '../../core/scrub.js';
import { lineLogger } from '../support/log-lines.js';
import { regexpScans } from './regexp-scans.js';

/** Made up, with signs a URL's password may hold as written in a config. */
const password = (): string => `Pw${randomBytes(9).toString('base64url')}!`;

describe('a URL with its slashes escaped', () => {
  it('has its password hidden, the rest kept', () => {
    const p = password();
    for (const [text, hidden] of [
      [`{"url":"mysql:\\/\\/u:${p}@h\\/db"}`, '{"url":"mysql:\\/\\/u:***@h\\/db"}'],
      [
        `{"dsn":"postgres:\\/\\/lb:${p}@db:5432\\/lic?ssl=1","next":1}`,
        '{"dsn":"postgres:\\/\\/lb:***@db:5432\\/lic?ssl=1","next":1}',
      ],
    ])
      expect(scrubSecrets(text as string)).toBe(hidden);
  });

  it('is hidden from a log line, its message and fields, which still parse', () => {
    const p = password();
    const answer = `{"url":"mysql:\\/\\/u:${p}@h\\/db"}`;
    const { logger, lines } = lineLogger();
    logger.warn({ answer, next: 'kept' }, `gateway answered ${answer}`);
    expect(lines.length).toBe(1);
    expect(lines[0]).not.toContain(p);
    const hidden = '{"url":"mysql:\\/\\/u:***@h\\/db"}';
    expect(JSON.parse(lines[0] as string)).toMatchObject({
      answer: hidden,
      msg: `gateway answered ${hidden}`,
      next: 'kept',
    });
  });

  it('leaves one that holds no password', () => {
    for (const text of [
      '{"url":"https:\\/\\/h.example:8443\\/a?email=a@b.c"}',
      '{"url":"https:\\/\\/u@h.example\\/"}',
      '{"url":"http:\\/\\/[::1]:8080\\/x@y"}',
    ])
      expect(scrubSecrets(text)).toBe(text);
  });

  it('is read in proportion to the text', () => {
    for (const line of [
      (n: number) => `${'a:\\/\\/x:'.repeat(n * 7)}@h`,
      (n: number) => `${'a:\\/\\/'.repeat(n * 10)}`,
    ]) {
      const per = (n: number): number => regexpScans(() => scrubSecrets(line(n))).chars / line(n).length;
      expect(line(2_500).length).toBeGreaterThan(100_000);
      expect(per(2_500)).toBeLessThan(per(50) * 2 + 1);
    }
  });
});
