/**
 * A named code table mapping a code to a value outside the field's code list was reported at the
 * rule's `lookup:` line as `code \`13\` maps to status \`bogus\``, without the table's name or the
 * file the wrong line is in. The problem now names both.
 */
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../core/errors.js';
import { compileMappingText } from '../../mappings/compile.js';

const MAPPING = [
  'dictionaries:',
  '  zt: { file: ./codes/zt.csv }',
  '  lx: { "1": "001", "2": "11" }',
  'fields:',
  '  status: { from: ZT, lookup: zt }',
  '  holder.idType: { from: LX, lookup: lx }',
  '',
].join('\n');

describe('a named code table with a value outside the code list', () => {
  it('is named, with its file', () => {
    let problems: string[] = [];
    try {
      compileMappingText(MAPPING, '/maps/m.yaml', {
        files: new Map([['/maps/codes/zt.csv', 'code,value\n12,valid\n13,bogus\n']]),
      });
    } catch (e) {
      expect(e).toBeInstanceOf(ConfigError);
      problems = (e as ConfigError).problems.map((p) => `${p.file}:${p.line} ${p.message}`);
    }
    expect(problems).toEqual([
      '/maps/m.yaml:5 code `13` of code table `zt` (/maps/codes/zt.csv) maps to status `bogus`, not canonical; expected one of valid, suspended, withdrawn, cancelled, expired, moved-out, revoked, other',
      '/maps/m.yaml:6 code `2` of code table `lx` maps to holder.idType `11`, not one of 001, 099, 111, 114, 115, 118, 119, 120, 122, 411, 412, 413, 414, 511, 516, 999',
    ]);
  });
});
