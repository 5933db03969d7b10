import { describe, expect, it } from 'vitest';
import { normaliseValue, rowKeyText, toCheckpointText, trimmer } from '../../connectors/sql/values.js';
import { isZonedInstant, zonedInstant } from '../../core/local-date.js';

describe('normaliseValue', () => {
  it('trims trailing ASCII spaces only, and only when asked', () => {
    expect(normaliseValue('JY23702110000001    ', true)).toBe('JY23702110000001');
    expect(normaliseValue('  lead kept  ', true)).toBe('  lead kept');
    expect(normaliseValue('全角　', true)).toBe('全角　');
    expect(normaliseValue('tab\t', true)).toBe('tab\t');
    expect(normaliseValue('pad  ', false)).toBe('pad  ');
  });

  it('turns Buffers into plain Uint8Array copies', () => {
    const buf = Buffer.from([9, 8, 7]);
    const out = normaliseValue(buf, true);
    expect(out).toBeInstanceOf(Uint8Array);
    expect(Buffer.isBuffer(out)).toBe(false);
    buf[0] = 0;
    expect(Array.from(out as Uint8Array)).toEqual([9, 8, 7]);
  });

  it('keeps safe integers as numbers and larger bigints as exact text', () => {
    expect(normaliseValue(42n, true)).toBe(42);
    expect(normaliseValue(BigInt(Number.MAX_SAFE_INTEGER), true)).toBe(Number.MAX_SAFE_INTEGER);
    expect(normaliseValue(BigInt(Number.MAX_SAFE_INTEGER) + 2n, true)).toBe('9007199254740993');
    expect(normaliseValue(-(2n ** 60n), true)).toBe('-1152921504606846976');
    expect(normaliseValue(1.5, true)).toBe(1.5);
    expect(normaliseValue(undefined, true)).toBeNull();
  });

  it("hands over the driver's own Date, so a zoned instant keeps its mark", () => {
    const instant = zonedInstant(new Date('2024-02-29T23:00:00Z'));
    expect(normaliseValue(instant, true)).toBe(instant);
    expect(isZonedInstant(normaliseValue(instant, false))).toBe(true);
    expect(isZonedInstant(normaliseValue(new Date('2024-02-29T23:00:00Z'), false))).toBe(false);
  });
});

describe('checkpoint text', () => {
  it('serialises exactly and refuses Dates, which would lose microseconds', () => {
    expect(toCheckpointText('2024-01-01 00:00:00.000001', 'c')).toBe('2024-01-01 00:00:00.000001');
    expect(toCheckpointText(2n ** 63n - 1n, 'k')).toBe('9223372036854775807');
    expect(toCheckpointText(0.1 + 0.2, 'c')).toBe('0.30000000000000004');
    expect(toCheckpointText(new Uint8Array([0, 255]), 'c')).toBe('\\x00ff');
    expect(() => toCheckpointText(new Date(0), 'cursor GXSJ')).toThrow(/cursor GXSJ.*Date/);
  });

  it('gives row keys as text', () => {
    expect(rowKeyText(12)).toBe('12');
    expect(rowKeyText('A1')).toBe('A1');
  });
});

describe('trimmer', () => {
  it('follows all / none / a case-insensitive column list', () => {
    expect(trimmer('all')('X')).toBe(true);
    expect(trimmer('none')('X')).toBe(false);
    const some = trimmer(['xkzbh']);
    expect(some('XKZBH')).toBe(true);
    expect(some('JYZMC')).toBe(false);
  });
});
