/**
 * A mapping written as YAML 1.1 (`%YAML 1.1`, the version with merge keys) may build an inline
 * code table from a shared one: `lookup: { <<: *base, "9": other }`. The table took only the codes
 * written in it and a `<<` entry of no value: every code of `*base` missed, and with a `fallback`
 * each such row was published with the fallback value instead of its own (`1` → `other`, not
 * `valid`). The merged codes are now in the table, as written (`01` stays `01`), the codes written
 * in the table itself winning over merged ones, and an earlier merged table over a later one.
 */
import { describe, expect, it } from 'vitest';
import { compileMappingText } from '../../mappings/compile.js';

const HEAD = ['%YAML 1.1', '---', 'dictionaries:', '  base: &base { 01: 有效, "2": 暂停 }'];

function kinds(lookup: string, codes: string[]): unknown[] {
  const text = [...HEAD, 'fields:', `  surface.kind: { from: LX, lookup: ${lookup}, fallback: 其他 }`, ''];
  const mapping = compileMappingText(text.join('\n'), '/maps/m.yaml');
  return codes.map((code) => {
    const r = mapping.map({ LX: code });
    return r.ok ? r.fields.surface.kind : r.reasons.map((x) => x.code);
  });
}

describe('an inline lookup with a YAML merge key', () => {
  it('holds the merged codes as written, beside its own', () => {
    expect(kinds('{ <<: *base, "9": 注销 }', ['01', '2', '9', '1', '<<'])).toEqual([
      '有效',
      '暂停',
      '注销',
      '其他',
      '其他',
    ]);
  });

  it('lets a code written in the table win over a merged one, and an earlier merged table over a later', () => {
    expect(kinds('{ "2": 撤销, <<: *base }', ['2', '01'])).toEqual(['撤销', '有效']);
    const text = [
      ...HEAD,
      '  more: &more { "2": 吊销, "3": 迁出 }',
      'fields:',
      '  surface.kind: { from: LX, lookup: { <<: [*base, *more] }, fallback: 其他 }',
      '',
    ];
    const mapping = compileMappingText(text.join('\n'), '/maps/m.yaml');
    const kind = (code: string) => {
      const r = mapping.map({ LX: code });
      return r.ok ? r.fields.surface.kind : r.reasons;
    };
    expect([kind('01'), kind('2'), kind('3')]).toEqual(['有效', '暂停', '迁出']);
  });

  it('checks merged status values at compile time', () => {
    const text = [
      '%YAML 1.1',
      '---',
      'dictionaries:',
      '  base: &base { "1": valid, "0": revoked }',
      'fields:',
      '  status: { from: ZT, lookup: { <<: *base, "2": suspended } }',
      '',
    ];
    const mapping = compileMappingText(text.join('\n'), '/maps/m.yaml');
    const status = (code: string) => {
      const r = mapping.map({ ZT: code });
      return r.ok ? r.fields.status : r.reasons.map((x) => x.code);
    };
    expect([status('1'), status('0'), status('2')]).toEqual(['valid', 'revoked', 'suspended']);
  });
});
