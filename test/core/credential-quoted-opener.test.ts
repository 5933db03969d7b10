/**
 * A quoted password may start with any sign: a bracket, a brace, a comma or a colon and then a
 * digit, a quote or a JSON word (`Password="]Pw x";Server=h`, `Password=":9xK#p"`). 399b9c2e and
 * 8a8557d9 read such a quote as the end of the string the key ends, so the value opened nothing
 * and stood whole; a log line is kept whole by its own guard (scrub-log-line.ts) instead.
 */
import { describe, expect, it } from 'vitest';
import { hideCredentials } from '../../core/credential-words.js';
import { scrubSecrets } from '../../core/scrub.js';
import { lineLogger } from '../support/log-lines.js';

const VALUES = [
  ['Password="]Pw x";Server=h', ']Pw x'],
  ['password="}Pw x"', '}Pw x'],
  ["pwd='}abc def'", '}abc def'],
  ['Password=",1abc";Server=x', ',1abc'],
  ['Password=":9xK#p";Server=x', ':9xK#p'],
  ['Password=",true";x=1', ',true'],
  ['password=",abc: def"', ',abc: def'],
  ['password=":1 x"', ':1 x'],
] as const;

describe('a quoted password starting with a bracket, a comma or a colon', () => {
  it('is hidden in free text', () => {
    for (const [text, value] of VALUES) {
      expect(hideCredentials(text)).not.toContain(value);
      expect(scrubSecrets(`login failed: ${text}`)).not.toContain(value);
    }
  });

  it('is hidden in a log line, as its message and as a field, and the line parses', () => {
    const { logger, lines } = lineLogger();
    for (const [text] of VALUES) logger.warn({ dsn: text }, `connect failed: ${text}`);
    expect(lines.length).toBe(VALUES.length);
    lines.forEach((line, i) => {
      const value = (VALUES[i] as readonly [string, string])[1];
      const entry = JSON.parse(line) as { dsn: string; msg: string };
      expect(entry.dsn).not.toContain(value);
      expect(entry.msg).not.toContain(value);
    });
  });
});
