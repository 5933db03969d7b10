import { describe, expect, it } from 'vitest';
import { jcs } from '../../catalog/canonical.js';
import type { License } from '../../catalog/license.js';
import { payloadColumn, readPayload } from '../../ledger/payload-column.js';

const ID = '1.2.156.3005.2.11370200MB12345674001.11370211MB12345672.K4Y975IER49RU69WLYRI.001.O';
const license = {
  identifier: ID,
  number: 'JY23702115427113',
  holder: { name: 'x', idType: '001', id: 'y' },
  status: 'valid',
} as unknown as License;

describe('the payload column', () => {
  it('leaves out the identifier the row holds, and reads back the same license, its fields in their order', () => {
    const text = payloadColumn(license);
    expect(text).not.toContain(ID);
    expect(text.length).toBe(JSON.stringify(license).length - JSON.stringify({ identifier: ID }).length + 1);
    const read = readPayload(text, ID);
    expect(read).toEqual(license);
    expect(Object.keys(read)).toEqual(Object.keys(license));
    // Names inside a value in canonical order (RFC 8785): the signed form's text of that value.
    expect(JSON.stringify(read.holder)).toBe(jcs(license.holder));
  });

  it('reads text written with the identifier (rows written before) as it is', () => {
    const text = JSON.stringify(license);
    expect(JSON.stringify(readPayload(text, 'another-identifier'))).toBe(text);
  });

  it('keeps the identifier of a license whose first field is another, so its order survives', () => {
    const reordered = { number: 'N', identifier: ID, status: 'valid' } as unknown as License;
    const text = payloadColumn(reordered);
    expect(text).toBe(JSON.stringify(reordered));
    expect(JSON.stringify(readPayload(text, ID))).toBe(text);
  });

  it('reads the same license whatever the text holds of the word `identifier`', () => {
    const texts = [
      // As a value, as a nested member's name, spelt with an escape, with a context's members.
      '{"number":"identifier","status":"valid"}',
      '{"number":"N","holder":{"identifier":"inner","id":"y"}}',
      '{"number":"N","\\u0069dentifier":"escaped"}',
      '{"number":"N\\u0001","status":"valid"}',
      '{"number":"N","@":0,"status":"valid"}',
      '{}',
      // The word ending a name or a value without its opening quote; keys JSON.parse treats apart.
      '{"unitidentifier":"u","number":"N"}',
      '{"number":"an identifier","status":"valid"}',
      '{"__proto__":{"a":1},"2":"two","1":"one","identifier\\"x":0}',
    ];
    for (const text of texts) {
      const context = '"type":{"name":"食品经营许可证"},"issuer":{"code":"C"}';
      const joined = text.replace('"@":0', context);
      const stored = JSON.parse(joined) as Record<string, unknown>;
      const expected = Object.hasOwn(stored, 'identifier') ? stored : { identifier: ID, ...stored };
      expect(JSON.stringify(readPayload(text, ID, context))).toBe(JSON.stringify(expected));
    }
  });
});
