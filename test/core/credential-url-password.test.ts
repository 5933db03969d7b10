// biome-ignore-all lint/suspicious/noTemplateCurlyInString: `${env:…}` is config reference syntax, not a template slip.
/**
 * A URL with its password written into text by a driver or an HTTP client (`connect
 * postgres://lb:…@db/lic failed`, `GET https://u:…@host/`) that no config reference gave: an
 * error's text hid it (maskUserInfo), but a log line's message or field, and what scrubSecrets gives
 * (the CLI's config problems, an error's context), kept it whole. The password is hidden there and
 * the user kept, as `password=***` keeps its key: the login is the account to fix, no secret
 * (docs/troubleshooting.md).
 */
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { safeErrorText } from '../../core/error-text.js';
import { scrubSecrets } from '../../core/scrub.js';
import { lineLogger } from '../support/log-lines.js';

/** Made up, with signs a URL's password may hold as written in a config. */
const password = (): string => `Pw${randomBytes(9).toString('base64url')}!`;

describe("a URL's password in text", () => {
  it('is hidden, the scheme, the user, the host and the rest kept', () => {
    const p = password();
    for (const [text, hidden] of [
      [`connect postgres://lb:${p}@db.example/lic failed`, 'connect postgres://lb:***@db.example/lic failed'],
      [`mssql://u:${p}@h`, 'mssql://u:***@h'],
      [`GET https://u:${p}@gw.example.gov.cn/ failed`, 'GET https://u:***@gw.example.gov.cn/ failed'],
      [`url=mysql://lb:${p}@db:3306/lic?ssl=1`, 'url=mysql://lb:***@db:3306/lic?ssl=1'],
      // A password holding `@`, `/` or `:` as written: hidden up to the word's last `@`.
      [`redis://:a@b/c:${p}@cache:6379/0`, 'redis://:***@cache:6379/0'],
      [`(postgres://lb:${p}@db/lic)`, '(postgres://lb:***@db/lic)'],
    ])
      expect(scrubSecrets(text as string)).toBe(hidden);
  });

  it('is hidden from a log line, its message and fields, which still parse', () => {
    const p = password();
    const { logger, lines } = lineLogger();
    logger.warn({ url: `postgres://lb:${p}@db/lic` }, `ledger: connect "postgres://lb:${p}@db/lic" failed`);
    expect(lines.length).toBe(1);
    expect(lines[0]).not.toContain(p);
    expect(JSON.parse(lines[0] as string)).toMatchObject({
      url: 'postgres://lb:***@db/lic',
      msg: 'ledger: connect "postgres://lb:***@db/lic" failed',
    });
  });

  it("is hidden from an error's text as before, user and password", () => {
    const p = password();
    expect(safeErrorText(`connect postgres://lb:${p}@db/lic failed`)).toBe(
      'connect postgres://***@db/lic failed',
    );
  });

  it('leaves a URL without a password, a port, a reference and what was hidden', () => {
    for (const text of [
      'https://gw.example.gov.cn:8443/api?notify=ops@example.cn',
      'https://token-user@gw.example.gov.cn/api',
      'postgres://lb:${env:DB_PASSWORD}@db/lic',
      'postgres://lb:[from ${env:DB_PASSWORD}]@db/lic',
      'postgres://lb:***@db/lic',
      'mailto:ops@example.cn',
      'see https://example.cn/a and mail ops@example.cn',
    ])
      expect(scrubSecrets(text)).toBe(text);
  });

  it('finishes on 100 kB of schemes, colons and at signs', () => {
    for (const text of [
      'a://'.repeat(30_000),
      `${'a://b:'.repeat(20_000)}@`,
      `x${'://:'.repeat(30_000)}@`,
      `${'a'.repeat(100_000)}://u:p@h`,
      'http://u:p@h '.repeat(10_000),
    ]) {
      const hidden = scrubSecrets(text);
      expect(hidden.endsWith(text.slice(-1))).toBe(true);
      expect(scrubSecrets(hidden)).toBe(hidden);
    }
  });
});
