/**
 * Every value a rule writes without reading a row is checked against its field's code list when the
 * mapping compiles (status, holder.idType, operation, areaCode): `const`, `fallback`, `default`,
 * code table values — and the `{ default: … }` transform when it is the rule's last step and no
 * lookup follows, whose value is then written as it stands. `{ default: vaild }` compiled, and
 * every row with an empty column was quarantined at the catalog instead of the file failing at
 * its line.
 */
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../core/errors.js';
import { compileMappingText } from '../../mappings/compile.js';

const problems = (fields: string): string[] => {
  try {
    compileMappingText(`fields:\n${fields}`, '/maps/m.yaml');
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return (e as ConfigError).problems.map((p) => `${p.line}:${p.column} ${p.message}`);
  }
  return [];
};

describe('the { default } transform of a field with a code list', () => {
  it('is refused at its line when it writes a value outside the list', () => {
    expect(problems('  status:\n    from: ZT\n    transform: [trim, { default: vaild }]\n')).toEqual([
      '4:34 status `vaild` is not canonical; expected one of valid, suspended, withdrawn, cancelled, expired, moved-out, revoked, other',
    ]);
    expect(problems('  holder.idType: { from: ZJLX, transform: [{ default: "112" }] }\n')).toEqual([
      '2:55 holder.idType `112` is not one of 001, 099, 111, 114, 115, 118, 119, 120, 122, 411, 412, 413, 414, 511, 516, 999',
    ]);
    expect(problems('  areaCode: { from: XZQH, transform: [trim, { default: "37021" }] }\n')).toEqual([
      '2:56 areaCode `37021` is not a 6-digit division code (GB/T 2260)',
    ]);
  });

  it('passes a value on the list, and one a later step or a lookup reads', () => {
    expect(problems('  status: { from: ZT, transform: [trim, { default: valid }] }\n')).toEqual([]);
    expect(
      problems('  status: { from: ZT, transform: [{ default: "1" }], lookup: { "1": valid } }\n'),
    ).toEqual([]);
    expect(problems('  status: { from: ZT, transform: [{ default: VALID }, lower] }\n')).toEqual([]);
    expect(problems('  surface.x: { from: ZT, transform: [{ default: anything }] }\n')).toEqual([]);
  });
});
