/**
 * A quoted or braced value left as it is — already hidden (`PWD={***`), a reference's placeholder
 * (`pwd={${`), words after a scheme (`PWD={Bearer a b`) — was read to its end and the text after
 * its opener read again from the next key: a braced value cut before its `}` runs to the line's
 * end, so a line of such keys was read once for each, 100 kB of `pwd={***` took seconds.
 */
import { describe, expect, it } from 'vitest';
import { scrubSecrets } from '../../core/scrub.js';
import { regexpScans } from './regexp-scans.js';

describe('a value left as it is', () => {
  it('is read once, on long lines of keys whose braced or quoted values stay', () => {
    for (const line of [
      (n: number) => 'pwd={***'.repeat(n * 6),
      (n: number) => 'pwd={${'.repeat(n * 8),
      (n: number) => 'PWD={Bearer a b '.repeat(n * 3),
      (n: number) => `{"msg":"${'password={***'.repeat(n * 4)}"}`,
      (n: number) => "password='***".repeat(n * 4),
    ]) {
      const per = (n: number): number => regexpScans(() => scrubSecrets(line(n))).chars / line(n).length;
      // 100 kB and more: read about as many times for each character as a short line is.
      expect(line(2_500).length).toBeGreaterThan(100_000);
      expect(per(2_500)).toBeLessThan(per(50) * 2);
    }
  });

  it('leaves what follows it to be hidden', () => {
    expect(scrubSecrets("PWD={***};token='a b'")).toBe("PWD={***};token='***'");
    const reference = "password='$" + "{env:PG}'";
    expect(scrubSecrets(`${reference} secret='a b'`)).toBe(`${reference} secret='***'`);
    expect(scrubSecrets('pwd={***\npassword="a b"')).toBe('pwd={***\npassword="***"');
  });
});
