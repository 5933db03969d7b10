/**
 * The examples docs/mapping-language.md shows, read from the page itself: each YAML block compiles
 * and maps as the page says, and each transform written out with a concrete argument compiles.
 * An example a reader copies must not be refused at load time.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { compileMappingText } from '../../mappings/compile.js';
import { parseMappingTestFile } from '../../mappings/mapping-test.js';
import { createTransformRegistry } from '../../mappings/transforms.js';

const page = readFileSync(new URL('../../docs/mapping-language.md', import.meta.url), 'utf8');
const blocks = [...page.matchAll(/```yaml\n([\s\S]*?)```/g)].map((m) => m[1] as string);
const block = (marker: string): string => {
  const found = blocks.find((b) => b.includes(marker));
  if (found === undefined) throw new Error(`no yaml block of docs/mapping-language.md holds ${marker}`);
  return found;
};
/** A block listing rules without `fields:`, as a mapping holds them. */
const underFields = (text: string): string =>
  `fields:\n${text
    .split('\n')
    .map((l) => (l === '' ? l : `  ${l}`))
    .join('\n')}`;

// Argument shapes the page spells with names standing for values, not values.
const PLACEHOLDERS = new Set([
  '{ date: [formats] }',
  '{ date: { formats, pivot, excel, zone, sentinels } }',
  '{ pad: { length, char, side } }',
  '{ replace: [regex, text] }',
  '{ default: value }',
  '{ default: … }',
]);

describe('docs/mapping-language.md examples', () => {
  it('the first example maps a row, its code table read from its file', () => {
    const text = block('description: Food business licenses');
    const table = '/docs/codes/ztyt.csv';
    const m = compileMappingText(text, '/docs/food.yaml', {
      files: new Map([[table, 'code,value\n01,食品销售经营者\n02,餐饮服务经营者\n']]),
    });
    const r = m.map({
      XKZBH: ' ＪＹ２３７０２１１００１２３４５ ',
      JYZMC: '青岛某某食品有限公司',
      TYSHXYDM: '91370406L24894136J',
      FZRQ: '2021-03-15',
      YXQZ: '20260314',
      ZT: '1',
      JYCS: '长江中路',
      MPH: 216,
      ZTYT: '09',
      JYXM: '预包装食品销售；；散装食品销售',
    });
    expect(r.ok && r.fields).toMatchObject({
      number: 'JY23702110012345',
      holder: { name: '青岛某某食品有限公司', idType: '001', id: '91370406L24894136J' },
      issueDate: '2021-03-15',
      validTo: '2026-03-14',
      status: 'valid',
      surface: {
        premises: '长江中路216号',
        businessForm: '其他',
        businessItems: ['预包装食品销售', '散装食品销售'],
      },
    });
    expect(m.personalColumns).toEqual(expect.arrayContaining(['FDDBR', 'FDDBRSFZ']));
  });

  it('the list example zips two columns into items', () => {
    const m = compileMappingText(underFields(block('surface.items[].name')), 'list.yaml');
    const r = m.map({ XMMC: '甲；乙', XMDM: '1；2' });
    expect(r.ok && r.fields.surface).toEqual({
      items: [
        { name: '甲', code: '1' },
        { name: '乙', code: '2' },
      ],
    });
    const short = m.map({ XMMC: 'a；；c', XMDM: '1；2；3' });
    expect(!short.ok && short.reasons.map((x) => x.code)).toEqual(['LB_MAP_LIST_LENGTH']);
  });

  it('the when example takes the first rule that holds', () => {
    const m = compileMappingText(underFields(block('holder.idType:\n  - { when')), 'when.yaml');
    const idType = (ZJLX: string | number, HZ: string | null) => {
      const r = m.map({ ZJLX, HZ });
      return r.ok ? r.fields.holder.idType : r.reasons;
    };
    expect(idType('01 ', null)).toBe('111');
    expect(idType(2, 'E12345678')).toBe('414');
    expect(idType(2, null)).toBe('999');
  });

  it('the mapping test file is one the test runner reads', () => {
    const spec = parseMappingTestFile(block('cases:'), '/docs/food-business-license.test.yaml');
    expect(spec).toMatchObject({
      mapping: './food-business-license.yaml',
      today: '2026-03-01',
      timeZone: 'Asia/Shanghai',
      expiry: false,
      pipeline: 'food-business-licenses',
    });
    expect(spec.cases.map((c) => c.key)).toEqual(['1', '17']);
  });

  it('every transform shown with a real argument compiles', () => {
    const registry = createTransformRegistry();
    const shown = [...page.matchAll(/`(\{ ?([A-Za-z]+): [^`]+\})`/g)]
      .filter((m) => registry.get(m[2] as string) !== undefined && !PLACEHOLDERS.has(m[1] as string))
      .map((m) => m[1] as string);
    expect(shown.length).toBeGreaterThan(5);
    const refused = shown.flatMap((t) => {
      try {
        compileMappingText(`fields:\n  surface.x: { from: X, transform: [${t}] }\n`, 'shown.yaml');
        return [];
      } catch (e) {
        return [`${t}: ${(e as Error).message}`];
      }
    });
    expect(refused).toEqual([]);
  });

  it('a transform argument is as YAML reads it: the pad of length 08 pads to 8', () => {
    const pad = /`(\{ pad: \{ length: 08[^`]*\})` pads to 8/.exec(page)?.[1];
    expect(pad).toBeDefined();
    const m = compileMappingText(`fields:\n  surface.x: { from: X, transform: [${pad}] }\n`, 'pad.yaml');
    const r = m.map({ X: '7' });
    expect(r.ok && r.fields.surface.x).toBe('00000007');
  });
});
