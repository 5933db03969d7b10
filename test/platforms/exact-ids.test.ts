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

  it('an answer JSON.parse takes and the exact reader refuses (a key given twice) keeps the ids too, the last of a repeated key', () => {
    // Read by JSON.parse alone, as it was, the id came back rounded (1234567890123456800).
    expect(parseKeepingIds('{"platformId":1234567890123456789,"code":1,"code":0}', IDS)).toEqual({
      platformId: '1234567890123456789',
      code: 0,
    });
    const text =
      '{"a":"x\\"1234567890123456789\\\\","platformId":-9223372036854775808,"n":12345678901234567890,"f":1234567890123456789.5,"e":1e300,"l":[1,2],"l":[9007199254740993],"k":"1234567890123456789"}';
    const { platformId, ...rest } = parseKeepingIds(text, IDS) as Record<string, unknown>;
    expect(platformId).toBe('-9223372036854775808');
    const { platformId: _, ...expected } = JSON.parse(text) as Record<string, unknown>;
    expect(rest).toEqual(expected);
    // Still only JSON: a long integer where an object's key goes is refused, as JSON.parse refuses it.
    expect(() => parseKeepingIds('{"a":1,"a":2,1234567890123456789:3}', IDS)).toThrow(SyntaxError);
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
