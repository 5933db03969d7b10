/**
 * D and E are hex digits, so a passport number of the D or E series joined by a dash to digits
 * (`E12345678-1`, a record key of number and sequence; `2024-D1234567`) looked like a dash-joined
 * hex id and was shown whole. Only a UUID, or hex runs with a hex letter outside the number, keep
 * a passport number's shape unmasked.
 */
import { describe, expect, it } from 'vitest';
import { maskPassportShapes } from '../../core/mask.js';

describe('a passport number beside a dash and digits', () => {
  it.each([
    ['key E12345678-1', 'key E*******8-1'],
    ['2024-D1234567 refused', '2024-******** refused'],
    ['2024-01-02-E12345678', '2024-01-02-E*******8'],
    ['D12345678-0001-0002', 'D*******8-0001-0002'],
  ])('masks %s', (text, masked) => {
    expect(maskPassportShapes(text)).toBe(masked);
  });

  it('leaves a UUID whose other segments are digits, and hex runs with letters, as they are', () => {
    for (const id of ['D1234567-8901-4234-8567-123456789012', 'a1b2c3d4-D1234567', 'D1234567-ff01'])
      expect(maskPassportShapes(id)).toBe(id);
  });
});
