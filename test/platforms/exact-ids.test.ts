/**
 * Reading platform answers whose ids are long JSON integers (shared/exact-ids.ts): the id fields
 * keep their digits, everything else reads as `JSON.parse` reads it.
 */
import { describe, expect, it } from 'vitest';
import { idText, parseKeepingIds } from '../../adapters/platforms/shared/exact-ids.js';

const IDS = new Set(['platformId']);

describe('parseKeepingIds', () => {
  it('keeps every digit of an integer id past 2^53, at any depth, as a string', () => {
    const doc = parseKeepingIds(
      '{"results":[{"platformId": 1234567890123456789}, {"platformId":-9223372036854775808}]}',
      IDS,
    );
    expect(doc).toEqual({
      results: [{ platformId: '1234567890123456789' }, { platformId: '-9223372036854775808' }],
    });
  });

  it('reads every other value as JSON.parse does, long numbers too', () => {
    const text =
      '{"platformId":1234567890123456789,"code":0,"count":12345678901234567890,"ratio":0.25,"holder":"370211199001011234","ok":true,"none":null}';
    const { platformId, ...rest } = parseKeepingIds(text, IDS) as Record<string, unknown>;
    expect(platformId).toBe('1234567890123456789');
    const { platformId: _, ...expected } = JSON.parse(text) as Record<string, unknown>;
    expect(rest).toEqual(expected);
  });

  it('an answer JSON.parse takes and the exact reader refuses (a key given twice) reads as before', () => {
    expect(parseKeepingIds('{"platformId":1234567890123456789,"code":1,"code":0}', IDS)).toEqual(
      JSON.parse('{"platformId":1234567890123456789,"code":1,"code":0}'),
    );
  });

  it('text that is not JSON throws', () => {
    expect(() => parseKeepingIds('<html>维护中</html>', IDS)).toThrow(SyntaxError);
    expect(() => parseKeepingIds('{"platformId": 12345678901234567890', IDS)).toThrow(SyntaxError);
  });
});

describe('idText', () => {
  it('gives a string as it is and an integer as its digits; anything else is no id', () => {
    expect(idText('P-1')).toBe('P-1');
    expect(idText(40213)).toBe('40213');
    expect(idText(1.5)).toBeNull();
    expect(idText(2 ** 53)).toBeNull();
    expect(idText(null)).toBeNull();
    expect(idText({ id: 1 })).toBeNull();
  });
});
