/** How a version's text is split from what its run shares, and put back byte for byte. */
import { describe, expect, it } from 'vitest';
import type { License } from '../../catalog/license.js';
import { joinPayload, splitVersion } from '../../ledger/version-context.js';

const license = {
  number: 'JY1',
  type: { name: '食品经营许可证$&', code: '11370200MB1234567X001' },
  issuer: { name: "$' 局", code: '11370211MB1234567X' },
  validTo: null,
  holder: { name: '张三', idType: '001', id: 'x' },
} as unknown as License;
const lineage = '{"s":"market-food","k":"4","C":"abc","M":"def"}';

describe('splitVersion', () => {
  it('moves the type and issuer members and the shared lineage, and puts them back byte for byte', () => {
    const text = JSON.stringify(license);
    const split = splitVersion(text, license, lineage);
    expect(split.payload).toBe(
      '{"number":"JY1","@":0,"validTo":null,"holder":{"name":"张三","idType":"001","id":"x"}}',
    );
    expect(split.lineage).toBe('{"k":"4"}');
    expect(split.context?.lineage).toBe('{"s":"market-food","C":"abc","M":"def"}');
    // `$&` and `$'` in a name are text, not replacement patterns.
    expect(joinPayload(split.payload, split.context?.payload)).toBe(text);
  });

  it('keeps the whole text when the marker could be ambiguous', () => {
    const odd = { ...license, surface: { '@': 0 } } as unknown as License;
    const text = JSON.stringify(odd);
    const split = splitVersion(text, odd, lineage);
    expect(split.payload).toBe(text);
    expect(split.context?.payload).toBe('');
  });

  it('keeps the whole text when a name ends in the marker, after `@`s in values', () => {
    // `"@":` without a member named `@`: a name ending in a quote and `@`, its quote escaped.
    const odd = {
      ...license,
      holder: { name: 'a@b.cn', idType: '@', id: '"@"' },
      surface: { 'mail@': 'x@y', 'x"@': 0 },
    } as unknown as License;
    const text = JSON.stringify(odd);
    expect(text).toContain('"@":');
    const split = splitVersion(text, odd, lineage);
    expect(split.payload).toBe(text);
    expect(split.context?.payload).toBe('');
  });

  it('moves the members of a text with `@`s in its values and names', () => {
    const mailed = {
      ...license,
      holder: { name: '@', idType: '"@"', id: 'a@b.cn' },
      surface: { '@x': '@:', '@"': '"@\\":' },
    } as unknown as License;
    const text = JSON.stringify(mailed);
    const split = splitVersion(text, mailed, lineage);
    expect(split.payload).toBe(text.replace(split.context?.payload ?? '?', '"@":0'));
    expect(split.payload).not.toBe(text);
    expect(joinPayload(split.payload, split.context?.payload)).toBe(text);
  });

  it('keeps the whole text when the members occur twice', () => {
    const twice = {
      ...license,
      surface: { type: license.type, issuer: license.issuer },
    } as unknown as License;
    const text = JSON.stringify(twice);
    expect(splitVersion(text, twice, lineage).payload).toBe(text);
  });

  it('has no context when nothing is shared', () => {
    const bare = { number: 'JY1' } as unknown as License;
    expect(splitVersion('{"number":"JY1"}', bare, '{"k":"4"}')).toEqual({
      payload: '{"number":"JY1"}',
      lineage: '{"k":"4"}',
      context: null,
    });
  });
});
