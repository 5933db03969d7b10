/**
 * `personal:` names columns as the source writes them, case included. A list naming `jycs` for
 * the column `JYCS` masked nothing: the premises of a person's shop went into preview and
 * quarantine reasons in clear, and nothing said the list had missed. Such an item is refused at
 * its line; with the source's columns known (config check --connect), so is one naming no column.
 */
import { describe, expect, it } from 'vitest';
import { ConfigError, type Problem } from '../../core/errors.js';
import { compileMappingText } from '../../mappings/compile.js';

const FILE = '/m/food.yaml';
const mapping = (personal: string) => `personal: ${personal}
fields:
  number: { from: XKZBH, transform: [trim] }
  surface.premises: { from: JYCS, transform: [trim], required: true }
  surface.note: { when: { column: BZ, empty: false }, const: 有备注 }
`;

function problems(personal: string, rowColumns?: readonly string[]): Problem[] {
  try {
    compileMappingText(mapping(personal), FILE, rowColumns ? { rowColumns } : {});
    return [];
  } catch (e) {
    if (e instanceof ConfigError) return [...e.problems];
    throw e;
  }
}

describe('personal: columns named in another case', () => {
  it('an item naming a read column in another case is refused at its line', () => {
    expect(problems('[FDDBRSFZ, jycs, bz]')).toEqual([
      {
        file: FILE,
        line: 1,
        column: expect.any(Number),
        path: 'personal.1',
        message:
          'personal: column `jycs` is read by no rule, so nothing is masked by it; did you mean `JYCS`? (columns are named as the source writes them, case included)',
      },
      expect.objectContaining({ path: 'personal.2', message: expect.stringContaining('did you mean `BZ`?') }),
    ]);
  });

  it('the column named as the source writes it is masked in reasons', () => {
    const m = compileMappingText(mapping('[JYCS]'), FILE);
    const out = m.map({ XKZBH: 'JY1', JYCS: '山东省青岛市黄岛区紫金山路612号\u0007', BZ: null });
    if (out.ok) throw new Error('expected the control character to be a reason');
    const [reason] = out.reasons;
    expect(reason?.code).toBe('LB_MAP_CONTROL_CHAR');
    expect(reason?.value).toBeDefined();
    expect(reason?.value).not.toContain('紫金山路');
  });

  it('a column no rule reads is fine, unless the source is known not to have it', () => {
    expect(problems('[FDDBRSFZ, JYCS]')).toEqual([]);
    expect(problems('[FDDBRSFZ]', ['XKZBH', 'JYCS', 'BZ', 'FDDBRSFZ'])).toEqual([]);
    expect(problems('[fddbrsfz, FDDBRSZ]', ['XKZBH', 'JYCS', 'BZ', 'FDDBRSFZ'])).toEqual([
      expect.objectContaining({
        path: 'personal.0',
        message: expect.stringContaining('did you mean `FDDBRSFZ`?'),
      }),
      expect.objectContaining({
        path: 'personal.1',
        message: expect.stringContaining('personal: column `FDDBRSZ` is not a field of the source'),
      }),
    ]);
  });
});
