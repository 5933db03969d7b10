// A GeneralizedTime in a seal or a signature (validStart, validEnd, createDate, timeInfo, a
// timestamp's genTime) names a real moment or is refused, naming the field. JavaScript's Date
// rolls an impossible date over instead of refusing it: `20250230…` (30 February) was read as
// 2 March, and a seal whose validEnd says so was valid two days past the end of February;
// `…240000Z` was read as the next midnight.
import { describe, expect, it } from 'vitest';
import { DerCursor } from '../../adapters/signers/ses/der-reader.js';
import { sequence, tlv } from '../../adapters/signers/ses/der-writer.js';

function timeOf(text: string): Date {
  const der = sequence(tlv(0x18, Buffer.from(text, 'latin1')));
  return new DerCursor(der, 'SESeal').sequence('eSealInfo').cursor.time('validEnd');
}

describe('GeneralizedTime read from a seal', () => {
  it.each([
    ['20250230000000Z', '30 February'],
    ['20230229120000Z', '29 February of a common year'],
    ['20250431000000Z', '31 April'],
    ['20251301000000Z', 'month 13'],
    ['20251200000000Z', 'day 0'],
    ['20251231240000Z', 'hour 24'],
    ['20251231236000Z', 'minute 60'],
    ['20251231235960Z', 'second 60'],
    ['20250230000000+0800', '30 February with a zone'],
    ['20250230000000', '30 February in local time'],
  ])('refuses %s (%s), naming the field', (text) => {
    expect(() => timeOf(text)).toThrow(`eSealInfo.validEnd: invalid date ${text}`);
  });

  it('reads real moments as before, in every form it takes', () => {
    expect(timeOf('20240229235959Z').toISOString()).toBe('2024-02-29T23:59:59.000Z');
    expect(timeOf('20000229000000Z').toISOString()).toBe('2000-02-29T00:00:00.000Z');
    expect(timeOf('20251231235959.5Z').toISOString()).toBe('2025-12-31T23:59:59.500Z');
    expect(timeOf('20260101073000+0800').toISOString()).toBe('2025-12-31T23:30:00.000Z');
    expect(timeOf('20260101073000').toISOString()).toBe('2025-12-31T23:30:00.000Z');
  });
});
