/** Log lines for a person at a terminal: readable, no JSON, still scrubbed and terminal-safe. */
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { logFormat, textLogLine } from '../../core/log-text.js';
import { createLogger } from '../../core/logger.js';
import { registerSecret } from '../../core/scrub.js';

function capture(): { stream: Writable; text(): string } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk, _enc, done) {
      chunks.push(String(chunk));
      done();
    },
  });
  return { stream, text: () => chunks.join('') };
}

describe('text log lines', () => {
  it('one readable line per entry, with the fields as key=value and no JSON', () => {
    const out = capture();
    const log = createLogger({ destination: out.stream, format: 'text' }).child({ pipeline: 'food' });
    log.info({ read: 3000, created: 2928, note: 'two words' }, 'extract: done');
    log.warn('run: workers did not stop in time');
    const lines = out.text().trimEnd().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(
      /^\d\d:\d\d:\d\d INFO {2}extract: done {2}pipeline=food read=3000 created=2928 note="two words"$/,
    );
    expect(lines[1]).toMatch(/^\d\d:\d\d:\d\d WARN {2}run: workers did not stop in time {2}pipeline=food$/);
    expect(out.text()).not.toContain('{"');
  });

  it('keeps values from config references out, and escape sequences from outside harmless', () => {
    registerSecret('ref-secret-value-123456', 'env:TEST_LOG_TEXT_SECRET');
    const out = capture();
    const log = createLogger({ destination: out.stream, format: 'text' });
    log.error(
      { reason: 'platform said \u001b]0;owned\u0007 and ref-secret-value-123456' },
      'deliver: rejected',
    );
    expect(out.text()).not.toContain('ref-secret-value-123456');
    expect(out.text()).not.toContain('\u001b');
    expect(out.text()).not.toContain('\u0007');
  });

  it('passes a line that is not JSON through', () => {
    expect(textLogLine('plain')).toBe('plain');
  });

  it('auto is text on a terminal and JSON elsewhere; LICBRIDGE_LOG_FORMAT overrides', () => {
    const tty = process.stderr.isTTY;
    expect(logFormat('auto', {})).toBe(tty ? 'text' : 'json');
    expect(logFormat('auto', { LICBRIDGE_LOG_FORMAT: 'text' })).toBe('text');
    expect(logFormat('text', { LICBRIDGE_LOG_FORMAT: 'json' })).toBe('json');
    expect(logFormat('json', {})).toBe('json');
  });
});
