/**
 * A password after a full-width `＝` (`password＝…`, as a Chinese input method types it), or after
 * `password:` in backticks or curly single quotes (`password: \`…\``, `password: ‘…’`, as Markdown
 * and word processors write them): the rules knew `=`, straight quotes and Chinese double quotes
 * only, so these stood whole in error text and log lines.
 */
import { describe, expect, it } from 'vitest';
import { safeErrorText } from '../../core/error-text.js';
import { scrubSecrets } from '../../core/scrub.js';
import { lineLogger } from '../support/log-lines.js';

const CASES = [
  ['login password＝Sup3r9x failed', 'Sup3r9x', 'login password＝*** failed'],
  ['db_password ＝ Sup3r9x', 'Sup3r9x', 'db_password ＝ ***'],
  ['password＝"Sup 3r9x"', 'Sup 3r9x', 'password＝"***"'],
  ['reset with password: `Sup3r 9x` now', 'Sup3r 9x', 'reset with password: `***` now'],
  ['password: ‘Sup3r 9x’ rejected', 'Sup3r 9x', 'password: ‘***’ rejected'],
] as const;

describe('a password after a full-width `＝`, or in backticks or curly quotes after a colon', () => {
  it('is hidden, the words around it kept', () => {
    for (const [text, , hidden] of CASES) expect(scrubSecrets(text)).toBe(hidden);
  });

  it("is hidden from an error's text and a log line, which parses", () => {
    const { logger, lines } = lineLogger();
    for (const [text, value] of CASES) {
      expect(safeErrorText(text)).not.toContain(value);
      logger.warn({ reason: text }, `refused: ${text}`);
    }
    expect(lines.length).toBe(CASES.length);
    lines.forEach((line, i) => {
      const value = (CASES[i] as readonly string[])[1] as string;
      const entry = JSON.parse(line) as { reason: string; msg: string };
      expect(entry.reason).not.toContain(value);
      expect(entry.msg).not.toContain(value);
    });
  });

  it('leaves a plain word and a placeholder', () => {
    for (const text of ['password＝$1', 'password: expired', 'token: 12345', 'WHERE password_hash = ?'])
      expect(scrubSecrets(text)).toBe(text);
  });

  it('reads a line of 200 kB of the words', () => {
    expect(scrubSecrets('password＝'.repeat(20_000))).toContain('password＝');
    expect(scrubSecrets('password: ‘'.repeat(18_000))).toContain('password: ‘');
    expect(scrubSecrets('password: `'.repeat(18_000))).toContain('password: `');
  });
});
