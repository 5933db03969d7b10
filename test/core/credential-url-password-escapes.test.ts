/**
 * A URL's password holding a quote or a backslash (`postgres://lb:pa"ss@db`, `…:pa\ss@db`): a log
 * line writes them escaped (`pa\"ss`, `pa\\ss`), and a URL's word ended at any backslash, so no `@`
 * was found after the user's `:` and the whole password stood in the line's message and fields.
 * An escaped quote or backslash is part of the word now; a line break (`\n`) and a quote written as
 * it is, a JSON string's end, still end it.
 */
import { describe, expect, it } from 'vitest';
import { safeErrorText } from '../../core/error-text.js';
import { scrubSecrets } from '../../core/scrub.js';
import { lineLogger } from '../support/log-lines.js';

const URLS = [
  ['postgres://lb:Pa"ss9w@db/lic', 'ss9w'],
  ['postgres://lb:Pa\\ss9w@db/lic', 'ss9w'],
  ['mysql://lb:P\\"a\\\\9w@db:3306/lic', 'a\\\\9w'],
] as const;

describe("a URL's password holding a quote or a backslash", () => {
  it('is hidden whole from a log line, its message and fields, which still parse', () => {
    const { logger, lines } = lineLogger();
    for (const [url] of URLS) logger.warn({ url }, `connect ${url} failed`);
    expect(lines.length).toBe(URLS.length);
    lines.forEach((line, i) => {
      const [url, rest] = URLS[i] as readonly [string, string];
      const entry = JSON.parse(line) as { url: string; msg: string };
      expect(entry.url).not.toContain(rest);
      expect(entry.msg).not.toContain(rest);
      expect(entry.url.startsWith(url.slice(0, url.indexOf(':', 10) + 1))).toBe(true);
      expect(entry.url.endsWith(url.slice(url.lastIndexOf('@')))).toBe(true);
    });
  });

  it('is hidden whole from the text scrubSecrets gives as a log line would hold it, escaped', () => {
    expect(scrubSecrets('connect postgres://lb:Pa\\"ss9w@db/lic failed')).toBe(
      'connect postgres://lb:***@db/lic failed',
    );
    expect(scrubSecrets('connect postgres://lb:Pa\\\\ss9w@db/lic failed')).toBe(
      'connect postgres://lb:***@db/lic failed',
    );
  });

  it("is hidden from an error's text", () => {
    for (const [url, rest] of URLS) expect(safeErrorText(`connect ${url} failed`)).not.toContain(rest);
  });

  it('is hidden from a JSON answer quoted in a log line, which still parses', () => {
    const { logger, lines } = lineLogger();
    logger.warn(
      { answer: '{"dsn":"postgres://lb:Pw9x@db/lic","contact":"ops@example.cn"}' },
      'gateway answered',
    );
    expect(lines.length).toBe(1);
    expect(lines[0]).not.toContain('Pw9x');
    JSON.parse(JSON.parse(lines[0] as string).answer);
  });

  it('ends at a line break and at a JSON string end, as before', () => {
    expect(scrubSecrets('"postgres://lb:pw\\nnext@h"')).toBe('"postgres://lb:pw\\nnext@h"');
    expect(scrubSecrets('{"u":"postgres://lb:pw","v":"a@b"}')).toBe('{"u":"postgres://lb:pw","v":"a@b"}');
  });
});

describe("a URL's password holding a quote as written, in an error's text", () => {
  it('is hidden whole, not read as a quoted value that starts inside it', () => {
    for (const text of [
      'connect postgres://lb:Pa"ss9w@db/lic failed',
      "connect postgres://lb:Pa'ss9w@db/lic failed",
    ]) {
      const shown = safeErrorText(text);
      expect(shown).toBe('connect postgres://***@db/lic failed');
    }
  });
});
