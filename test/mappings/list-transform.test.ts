/**
 * A source's list reaches a mapping as JSON list text (a database array column, an XML source's
 * `lists` field): `["甲","乙"]`. Without a way to read it as a list, `surface.items[]` wrote it as
 * one item, the text itself. The `list` transform reads such text item by item; a text column
 * whose value merely looks like a list, read without it, stays text.
 */
import { describe, expect, it } from 'vitest';
import { compileMappingText } from '../../mappings/compile.js';

const compile = (rules: string[]) =>
  compileMappingText(['fields:', ...rules, ''].join('\n'), '/maps/list.yaml');

const items = compile(['  surface.items[]: { from: XM, transform: [list, trim] }']);

describe('the list transform', () => {
  it('maps a one-item and a two-item source list onto a list field item by item', () => {
    const one = items.map({ XM: '["甲"]' });
    const two = items.map({ XM: '["甲"," 乙 "]' });
    expect(one.ok && one.fields.surface).toEqual({ items: ['甲'] });
    expect(two.ok && two.fields.surface).toEqual({ items: ['甲', '乙'] });
  });

  it('reads null as no list, [] as an empty one, and keeps null and number items in place', () => {
    const none = items.map({ XM: null });
    expect(none.ok && none.fields.surface).toEqual({ items: [] });
    const blank = items.map({ XM: '  ' });
    expect(blank.ok && blank.fields.surface).toEqual({ items: [] });
    const empty = items.map({ XM: '[]' });
    expect(empty.ok && empty.fields.surface).toEqual({ items: [] });
    const mixed = compile(['  surface.items[]: { from: XM, transform: [list] }']).map({ XM: '[3,null,"b"]' });
    expect(mixed.ok && mixed.fields.surface).toEqual({ items: [3, null, 'b'] });
  });

  it('zips two list columns into a list of objects', () => {
    const zipped = compile([
      '  surface.items[].name: { from: MC, transform: [list] }',
      '  surface.items[].code: { from: DM, transform: [list] }',
    ]).map({ MC: '["预包装食品销售","热食类食品制售"]', DM: '["01","02"]' });
    expect(zipped.ok && zipped.fields.surface).toEqual({
      items: [
        { name: '预包装食品销售', code: '01' },
        { name: '热食类食品制售', code: '02' },
      ],
    });
  });

  it('gives an empty list to `default` and `required` as empty', () => {
    const mapping = compile(['  surface.items[]: { from: XM, transform: [list], required: true }']);
    const out = mapping.map({ XM: '[]' });
    expect(!out.ok && out.reasons.map((r) => r.code)).toEqual(['LB_MAP_REQUIRED']);
  });

  it('refuses text that is no JSON list of text, numbers or null, naming the field, never the value', () => {
    const mapping = compile(['  surface.items[]: { from: XM, transform: [list] }']);
    for (const text of ['甲；乙', '"甲"', '{"a":1}', '[["甲"]]', '[{"a":1}]', '[true]', '["甲",']) {
      const out = mapping.map({ XM: text });
      expect(out.ok, text).toBe(false);
      const reason = !out.ok ? out.reasons[0] : undefined;
      expect(reason).toMatchObject({ code: 'LB_MAP_TYPE', path: 'surface.items[]', column: 'XM' });
      expect(reason?.message).toMatch(/^mapping: surface\.items\[\]: list expects JSON list text/);
      expect(reason?.message).not.toContain(text);
    }
  });

  it('checks each item read as a column value is checked (a control character escaped in the text)', () => {
    const mapping = compile(['  surface.items[]: { from: XM, transform: [list] }']);
    const out = mapping.map({ XM: '["a\\u0007b"]' });
    expect(!out.ok && out.reasons[0]?.code).toBe('LB_MAP_CONTROL_CHAR');
    const big = mapping.map({ XM: '[9007199254740993]' });
    expect(!big.ok && big.reasons[0]?.code).toBe('LB_MAP_NUMBER');
  });

  it('refuses a value that is not text', () => {
    const mapping = compile(['  surface.items[]: { from: XM, transform: [list] }']);
    const out = mapping.map({ XM: 12 });
    expect(!out.ok && out.reasons[0]?.code).toBe('LB_MAP_TYPE');
  });
});

describe('list-looking text without the list transform', () => {
  it('stays text: one item, as written', () => {
    const out = compile(['  surface.items[]: { from: XM }']).map({ XM: '["a"]' });
    expect(out.ok && out.fields.surface).toEqual({ items: ['["a"]'] });
  });
});

describe('docs/mapping-language.md, lists from the source', () => {
  it('maps its example as the page says', async () => {
    const { readFileSync } = await import('node:fs');
    const page = readFileSync(new URL('../../docs/mapping-language.md', import.meta.url), 'utf8');
    const block = [...page.matchAll(/```yaml\n([\s\S]*?)```/g)]
      .map((m) => m[1] as string)
      .find((b) => b.includes('transform: [list, trim]'));
    expect(block).toBeDefined();
    const rules = (block as string)
      .trimEnd()
      .split('\n')
      .map((l) => `  ${l}`);
    const out = compile(rules).map({
      JYXM: '["预包装食品销售 ","散装食品销售"]',
      'JYXM.XMMC': '["预包装食品销售"]',
      'JYXM.XMDM': '["01"]',
    });
    expect(out.ok && out.fields.surface).toEqual({
      businessItems: ['预包装食品销售', '散装食品销售'],
      items: [{ name: '预包装食品销售', code: '01' }],
    });
  });
});
