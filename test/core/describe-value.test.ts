import { describe, expect, it } from 'vitest';
import { maskUserInfo } from '../../core/error-text.js';
import { describeValue } from '../../core/errors.js';

describe('describeValue', () => {
  it.each([
    ['postgres://lb:pw@db/x', '`postgres://***@db/x` (string)'],
    // A password holding `/`, `?` or `#` and `@`: masked up to the last `@`.
    ['postgres://lb:p/w?#@x@db', '`postgres://***@db` (string)'],
    ['redis://:secret@cache:6379', '`redis://***@cache:6379` (string)'],
    ['mailto:a@b', '`mailto:***@b` (string)'],
    ['see a:b c@d', '`see a:b c@d` (string)'],
    ['1a+b:////u@h', '`1a+b:///***@h` (string)'],
    ['12:u@h', '`12:u@h` (string)'],
    ['plain text', '`plain text` (string)'],
  ])('%s', (value, shown) => {
    expect(describeValue(value)).toBe(shown);
  });

  it('cuts a long value after masking it', () => {
    expect(describeValue(`postgres://lb:${'p'.repeat(60)}@db/x`)).toBe('`postgres://***@db/x` (string)');
    expect(describeValue('x'.repeat(50))).toBe(`\`${'x'.repeat(37)}...\` (string)`);
  });

  // No time is asserted: the pattern this replaced took 3.5 s at 20,000 letters, a colon and
  // 20,000 more, and its time grew as the square: at 250,000 it runs for minutes, past the test's
  // timeout (which vitest checks when a synchronous test returns). One pass takes milliseconds.
  it('reads a long value of letters and a colon in one pass', () => {
    const value = `${'a'.repeat(250_000)}:${'b'.repeat(250_000)}`;
    expect(describeValue(value)).toBe(`\`${'a'.repeat(37)}...\` (string)`);
    expect(maskUserInfo(`${value}@h`)).toBe(`${'a'.repeat(250_000)}:***@h`);
  });
});
