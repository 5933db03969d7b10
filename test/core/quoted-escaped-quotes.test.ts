/**
 * A gateway's HTML error page, an XML text or a JSON string inside another one writes the quotes
 * around a value escaped (`holder &quot;张三&quot; exists`, `entry &#39;张三&#39;`, `\u0022张三\u0022`):
 * no quote hideQuoted (core/quoted-values.ts) read, and a holder's name between them went out whole
 * in an error's text and a log line. Such quotes are read as quotes now, closed or never closed.
 */
import { describe, expect, it } from 'vitest';
import { safeErrorText } from '../../core/error-text.js';
import { hideQuoted } from '../../core/quoted-values.js';
import { lineLogger } from '../support/log-lines.js';

// Made up: no one's name.
const NAME = '测试丙戊';
const keep = { backticks: false, keepIdentifiers: true };

const QUOTES = [
  '&quot;',
  '&#34;',
  '&#x22;',
  '&#X22;',
  '&apos;',
  '&#39;',
  '&#039;',
  '&#x27;',
  '\\u0022',
  '\\u0027',
];

describe('quotes written escaped', () => {
  for (const q of QUOTES) {
    it(`hides what ${q} quote`, () => {
      expect(hideQuoted(`<p>holder ${q}${NAME}${q} exists</p>`, keep)).toBe(
        `<p>holder ${q}***${q} exists</p>`,
      );
      expect(hideQuoted(`entry ${q}${NAME}`, keep)).toBe(`entry ${q}***`);
      expect(hideQuoted(`for key ${q}uk_holder${q}`, keep)).toBe(`for key ${q}uk_holder${q}`);
    });
  }

  it('reads an escaped apostrophe ending a word as none', () => {
    const text = 'Some licenses&#39; latest version is awaiting delivery, or the platform&apos;s answer';
    expect(hideQuoted(text, keep)).toBe(text);
  });

  it("hides them in an error's text and a log line, and again unchanged", () => {
    const text = `HTTP 409: <html><body>Duplicate entry &#39;${NAME}&#39; for key &#39;uk_holder&#39;</body></html>`;
    const once = safeErrorText(text);
    expect(once).toBe(
      'HTTP 409: <html><body>Duplicate entry &#39;***&#39; for key &#39;uk_holder&#39;</body></html>',
    );
    expect(safeErrorText(once)).toBe(once);
    const { logger, lines } = lineLogger();
    logger.error({ err: new Error(text) }, 'deliver failed');
    expect(lines).toHaveLength(1);
    expect(lines[0]).not.toContain(NAME);
  });
});
