/**
 * Two rules zipping one list (`surface.items[].name`, `surface.items[].code`) must give as many
 * items: `split` drops an empty item (`a；；c` is two names), and the names then met the wrong
 * codes, silently — c took 2, and a third item held the code 3 alone.
 */
import { describe, expect, it } from 'vitest';
import { compileMappingText } from '../../mappings/compile.js';

const mapping = compileMappingText(
  [
    'fields:',
    '  surface.items[].name: { from: MC, transform: [{ split: "；" }] }',
    '  surface.items[].code: { from: DM, transform: [{ split: "；" }] }',
    '  surface.tags[]: { from: BQ, transform: [{ split: "；" }] }',
    '',
  ].join('\n'),
  '/maps/items.yaml',
);

describe('rules zipping one list', () => {
  it('refuse lists of different lengths, naming both rules', () => {
    const out = mapping.map({ MC: '食品销售；；热食类', DM: '01；02；03', BQ: 'x' });
    expect(out.ok).toBe(false);
    expect(!out.ok && out.reasons).toEqual([
      {
        code: 'LB_MAP_LIST_LENGTH',
        message:
          'mapping: surface.items[].code: 3 items, where surface.items[].name gave 2: rules zipping one list must give as many, or items meet the wrong values (a split drops empty items)',
        path: 'surface.items[].code',
        location: '/maps/items.yaml:3',
        column: 'DM',
      },
    ]);
  });

  it('zip lists of one length, and a list beside no value', () => {
    const zipped = mapping.map({ MC: 'a；c', DM: '01；03', BQ: 'x；y；z' });
    expect(zipped.ok && zipped.fields.surface).toEqual({
      items: [
        { name: 'a', code: '01' },
        { name: 'c', code: '03' },
      ],
      tags: ['x', 'y', 'z'],
    });
    const alone = mapping.map({ MC: 'a；c', DM: null, BQ: null });
    expect(alone.ok && alone.fields.surface).toEqual({ items: [{ name: 'a' }, { name: 'c' }], tags: [] });
  });
});

describe('a single value beside a zipped list', () => {
  it('is one item, so beside a list of more it is a mismatch', () => {
    const withConst = compileMappingText(
      [
        'fields:',
        '  surface.items[].name: { from: MC, transform: [{ split: "；" }] }',
        '  surface.items[].unit: { const: "件" }',
        '',
      ].join('\n'),
      '/maps/const.yaml',
    );
    const one = withConst.map({ MC: 'a' });
    expect(one.ok && one.fields.surface).toEqual({ items: [{ name: 'a', unit: '件' }] });
    const three = withConst.map({ MC: 'a；b；c' });
    expect(!three.ok && three.reasons.map((r) => r.code)).toEqual(['LB_MAP_LIST_LENGTH']);
  });
});
