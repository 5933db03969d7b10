/**
 * `Retry-After` is delay-seconds (a non-negative integer) or an HTTP-date (RFC 9110 §10.2.3): an
 * IMF-fixdate, or the obsolete RFC 850 and asctime forms, all GMT (§5.6.7). It was read by
 * `Date.parse`, which takes far more: `"1.5"` and `"-1"` were read as years (a time long past, so
 * no wait at all), and a zone-less `2026-12-05T09:02:00` as a time in this host's zone. Anything
 * else than the RFC's forms is now no hint (the target's own backoff), and the log says which
 * value was ignored, cut short and without control characters.
 */
import { Writable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { parseRetryAfter } from '../../adapters/platforms/shared/http-failure.js';
import { createLogger, rootLogger, setRootLogger } from '../../core/logger.js';

const NOW = Date.UTC(2026, 11, 5, 9, 0, 0);
const previous = rootLogger();
afterEach(() => setRootLogger(previous));

/** The root logger's lines while `fn` runs. */
function logged(fn: () => void): Record<string, unknown>[] {
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk, _enc, done) {
      lines.push(String(chunk));
      done();
    },
  });
  setRootLogger(createLogger({ destination: sink, level: 'info' }));
  fn();
  return lines
    .join('')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}

describe('Retry-After read as RFC 9110 writes it', () => {
  it.each([
    ['delay-seconds', '120', 120_000],
    ['delay-seconds of zero', '0', 0],
    ['IMF-fixdate', 'Sat, 05 Dec 2026 09:02:00 GMT', 120_000],
    ['RFC 850 date', 'Saturday, 05-Dec-26 09:02:00 GMT', 120_000],
    ['asctime date', 'Sat Dec  5 09:02:00 2026', 120_000],
    ['an HTTP-date already past', 'Sat, 05 Dec 2026 08:59:00 GMT', 0],
  ])('%s is read', (_form, value, ms) => {
    expect(parseRetryAfter(value, NOW)).toBe(ms);
  });

  it('an HTTP-date is read against the answer’s Date in the same forms', () => {
    expect(
      parseRetryAfter('Sat, 05 Dec 2026 09:02:00 GMT', NOW + 600_000, 'Sat, 05 Dec 2026 09:00:00 GMT'),
    ).toBe(120_000);
    // A Date that is no HTTP-date says nothing of the platform's clock: this host's is used.
    expect(parseRetryAfter('Sat, 05 Dec 2026 09:02:00 GMT', NOW, '2026-12-05T08:00:00')).toBe(120_000);
  });

  it.each([
    ['a fraction', '1.5'],
    ['a negative number', '-1'],
    ['a signed number', '+30'],
    ['a zone-less local time', '2026-12-05T09:02:00'],
    ['an ISO time with its zone', '2026-12-05T09:02:00Z'],
    ['a date in another zone', 'Sat, 05 Dec 2026 17:02:00 +0800'],
    ['a date with no weekday', '05 Dec 2026 09:02:00 GMT'],
    ['a day the month does not have', 'Mon, 31 Feb 2026 09:02:00 GMT'],
    ['an hour past 23', 'Sat, 05 Dec 2026 24:02:00 GMT'],
    ['a word', 'soon'],
  ])('%s is no hint, and the log names it', (_what, value) => {
    let ms: number | undefined = -1;
    const lines = logged(() => {
      ms = parseRetryAfter(value, NOW);
    });
    expect(ms).toBeUndefined();
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ level: 40, retryAfter: value });
    expect(String(lines[0]?.msg)).toContain('Retry-After');
  });

  it('an ignored value is logged cut short and without control characters', () => {
    const lines = logged(() => {
      expect(parseRetryAfter(`soon\u0000\u001b[31m\u0085${'x'.repeat(500)}`, NOW)).toBeUndefined();
    });
    const shown = String(lines[0]?.retryAfter);
    expect(shown.startsWith('soon[31m')).toBe(true);
    // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is looked for
    expect(shown).not.toMatch(/[\u0000-\u001f\u007f-\u009f]/);
    expect(shown.length).toBeLessThanOrEqual(80);
  });

  it('no header, or an empty one, is no hint and nothing is logged', () => {
    const lines = logged(() => {
      expect(parseRetryAfter(undefined, NOW)).toBeUndefined();
      expect(parseRetryAfter('', NOW)).toBeUndefined();
    });
    expect(lines).toEqual([]);
  });
});
