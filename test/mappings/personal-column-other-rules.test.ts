/**
 * A column read into holder.name, holder.id or contact.* counts as personal without being listed
 * (docs/mapping-language.md): its value is masked in the reasons of every rule that reads it, not
 * only of the rule writing the personal field. A holderIdType rule, a lookup or a surface field
 * reading the holder's id column showed a mistyped ID number (no real birth date, a digit missing:
 * no ID shape for the shape check to catch) in clear in the quarantine reasons.
 */
import { describe, expect, it } from 'vitest';
import { compileMappingText } from '../../mappings/compile.js';
import type { MapReason } from '../../mappings/types.js';

const MAPPING = `fields:
  holder.id: { from: ID, transform: [idNumber] }
  holder.name: { from: XM }
  holder.idType: { from: ID, transform: [{ holderIdType: ["001", "111"] }] }
  surface.code: { from: ID, lookup: { a: b } }
  surface.remark: { template: "{XM}/{BZ}", transform: [{ date: [yyyyMMdd] }] }
  surface.other: { from: BZ, lookup: { a: b } }
`;

function reasons(text: string, values: Record<string, string>): MapReason[] {
  const r = compileMappingText(text, 'personal.yaml').map(values);
  if (r.ok) throw new Error('expected the row to fail');
  return r.reasons;
}

const byPath = (list: MapReason[], path: string) => list.find((r) => r.path === path);

describe('a column feeding a personal field is masked in every rule reading it', () => {
  // 1949-13-31 is no day and 13 digits are no ID: neither has a resident ID number's shape.
  // (holderIdType reads the 18 chars as a credit code's shape; the catalog then refuses it.)
  for (const [id, paths] of [
    ['11010519491331002X', ['surface.code']],
    ['1101051949123', ['holder.idType', 'surface.code']],
  ] as const) {
    it(`${paths.join(' and ')} on the id column mask ${id.length} chars`, () => {
      const list = reasons(MAPPING, { ID: id, XM: '张三丰', BZ: 'x' });
      for (const path of paths) {
        const reason = byPath(list, path);
        expect(reason?.column).toBe('ID');
        expect(reason?.value).toBeDefined();
        expect(reason?.value).not.toBe(id);
        expect(reason?.value).not.toContain(id.slice(6, 12));
      }
      expect(JSON.stringify(list)).not.toContain(id);
    });
  }

  it('a template with the name column masks the name as a name', () => {
    const list = reasons(MAPPING, { ID: '11010519491231002X', XM: '张三丰', BZ: 'x' });
    const reason = byPath(list, 'surface.remark');
    expect(reason?.value).toBeDefined();
    expect(reason?.value).not.toContain('三丰');
    expect(reason?.value?.startsWith('张')).toBe(true);
  });

  it('a column feeding no personal field is shown in clear', () => {
    const list = reasons(MAPPING, { ID: '11010519491231002X', XM: '张三丰', BZ: 'zz' });
    expect(byPath(list, 'surface.other')?.value).toBe('zz');
  });

  it('under a mapping declaring its holders organisations, the holder columns stay in clear', () => {
    const text = `fields:
  holder.id: { from: ID }
  holder.name: { from: MC }
  holder.idType: { const: "001" }
  surface.code: { from: ID, lookup: { a: b } }
  surface.mc: { from: MC, lookup: { a: b } }
`;
    const list = reasons(text, { ID: '91370406L2489413', MC: '青岛某某食品有限公司' });
    expect(byPath(list, 'surface.code')?.value).toBe('91370406L2489413');
    expect(byPath(list, 'surface.mc')?.value).toBe('青岛某某食品有限公司');
  });

  it('a contact column read by another rule keeps its last four only', () => {
    const text = `fields:
  contact.phone: { from: DH }
  surface.tag: { from: DH, lookup: { a: b } }
`;
    const list = reasons(text, { DH: '1391234567' });
    expect(byPath(list, 'surface.tag')?.value).toBe('******4567');
  });
});
