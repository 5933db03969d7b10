import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { compileMapping } from '../../mappings/compile.js';
import type { CompiledMapping, InputValue, MapResult } from '../../mappings/types.js';
import { DEMO_MAPPING_FILE, demoValues } from './fixtures.js';

let mapping: CompiledMapping;
beforeAll(async () => {
  mapping = await compileMapping(DEMO_MAPPING_FILE);
});

function reasonsOf(result: MapResult) {
  if (result.ok) throw new Error('expected the row to fail');
  return result.reasons;
}

describe('demo mapping: good rows', () => {
  it('maps a T_SPXK_XKZ row onto the license draft', () => {
    const result = mapping.map(demoValues());
    expect(result).toEqual({
      ok: true,
      fields: {
        number: 'JY23702110012345',
        holder: { name: '青岛海滨食品有限公司', idType: '001', id: '91370406L24894136J' },
        issueDate: '2021-03-15',
        validFrom: '2021-03-15',
        validTo: '2026-03-14',
        status: 'valid',
        areaCode: '370211',
        // YZSBH is NULL: the row renews nothing (successor.ts reads a null as no predecessor).
        predecessor: { number: null },
        surface: {
          legalRepresentative: '张三丰',
          premises: '青岛市黄岛区长江中路1号',
          businessForm: '食品销售经营者',
          businessItems: ['预包装食品销售（含冷藏冷冻食品）', '散装食品销售'],
        },
      },
    });
  });

  it('maps 00000000 valid-to to null (long-term) and each status code', () => {
    const r = mapping.map(demoValues({ YXQZ: '00000000' }));
    expect(r.ok && r.fields.validTo).toBeNull();
    for (const [zt, status] of [
      ['1', 'valid'],
      ['2', 'suspended'],
      ['0', 'revoked'],
      ['3', 'cancelled'],
    ]) {
      const s = mapping.map(demoValues({ ZT: zt as string }));
      expect(s.ok && s.fields.status).toBe(status);
    }
  });

  it('normalises full-width and lowercase license numbers and credit codes', () => {
    const r = mapping.map(demoValues({ XKZBH: 'ｊｙ23702110012345  ', TYSHXYDM: ' 91370406l24894136j' }));
    expect(r.ok && r.fields.number).toBe('JY23702110012345');
    expect(r.ok && r.fields.holder.id).toBe('91370406L24894136J');
  });

  it('does not share arrays or objects between rows', () => {
    const a = mapping.map(demoValues());
    const b = mapping.map(demoValues());
    if (!a.ok || !b.ok) throw new Error('expected both rows to map');
    (a.fields.surface.businessItems as string[]).push('x');
    expect(b.fields.surface.businessItems).toHaveLength(2);
  });
});

describe('demo mapping: bad rows give exactly one failure, never a throw', () => {
  const cases: [string, Record<string, InputValue>, string, string][] = [
    ['a null status', { ZT: null }, 'LB_MAP_REQUIRED', 'status'],
    ['an unknown status code', { ZT: '9' }, 'LB_MAP_LOOKUP', 'status'],
    ['a null holder name', { JYZMC: null }, 'LB_MAP_REQUIRED', 'holder.name'],
    ['a boolean license number', { XKZBH: true }, 'LB_MAP_TYPE', 'number'],
    ['binary data in a text column', { JYZMC: new Uint8Array([0xc7, 0xe0]) }, 'LB_MAP_TYPE', 'holder.name'],
    ['a date object in a text column', { JYCS: new Date(0) }, 'LB_MAP_TYPE', 'surface.premises'],
    ['Feb 30', { YXQZ: '20230230' }, 'LB_MAP_DATE', 'validTo'],
    ['year 0000', { YXQZ: '00000115' }, 'LB_MAP_DATE', 'validTo'],
    ['a 1 MB string', { JYCS: '青'.repeat(1024 * 1024) }, 'LB_MAP_TOO_LONG', 'surface.premises'],
    ['a control character', { JYZMC: '青岛\u0001食品' }, 'LB_MAP_CONTROL_CHAR', 'holder.name'],
    ['a NUL byte', { JYCS: '长江路\u00001号' }, 'LB_MAP_CONTROL_CHAR', 'surface.premises'],
    ['an emoji', { JYZMC: '青岛😀食品有限公司' }, 'LB_MAP_CHARSET', 'holder.name'],
    ['a replacement character', { JYCS: '青岛\uFFFD路' }, 'LB_MAP_ENCODING', 'surface.premises'],
    ['a lone surrogate', { JYCS: '青岛\uD800路' }, 'LB_MAP_ENCODING', 'surface.premises'],
    ['a non-finite number', { ZT: Number.NaN }, 'LB_MAP_TYPE', 'status'],
    ['no business items', { JYXM: '；' }, 'LB_MAP_REQUIRED', 'surface.businessItems'],
  ];

  it.each(cases)('%s', (_what, overrides, code, path) => {
    const reasons = reasonsOf(mapping.map(demoValues(overrides)));
    expect(reasons).toHaveLength(1);
    expect(reasons[0]).toMatchObject({ code, path });
    expect(reasons[0]?.location).toMatch(/food-business-license\.yaml:\d+$/);
    expect(reasons[0]?.message).toContain(path);
  });

  it('a missing column is LB_MAP_COLUMN naming the column', () => {
    const values = demoValues();
    delete values.JYCS;
    const reasons = reasonsOf(mapping.map(values));
    expect(reasons).toEqual([
      expect.objectContaining({ code: 'LB_MAP_COLUMN', column: 'JYCS', path: 'surface.premises' }),
    ]);
  });

  it('a bad column used by two fields fails both, in one result', () => {
    const reasons = reasonsOf(mapping.map(demoValues({ FZRQ: '20230230' })));
    expect(reasons.map((r) => `${r.code} ${r.path}`)).toEqual([
      'LB_MAP_DATE issueDate',
      'LB_MAP_DATE validFrom',
    ]);
  });

  it('points at the rule line and the column', () => {
    const [reason] = reasonsOf(mapping.map(demoValues({ YXQZ: '20230230' })));
    expect(reason).toMatchObject({ column: 'YXQZ', value: '20230230' });
    expect(reason?.location).toBe(`${DEMO_MAPPING_FILE}:${mappingLine('validTo:')}`);
  });

  it('masks personal values and cuts long ones', () => {
    // The demo's holders are legal persons (idType 001): their names are public, shown to be fixed.
    const name = reasonsOf(mapping.map(demoValues({ JYZMC: '青岛\u0001海滨食品有限公司' })))[0];
    expect(name?.value).toBe('青岛\u0001海滨食品有限公司');
    const rep = reasonsOf(mapping.map(demoValues({ FDDBR: '张三\u0001丰' })))[0];
    expect(rep?.value).toMatch(/^张\*+$/);
    const long = reasonsOf(mapping.map(demoValues({ JYCS: 'x'.repeat(1024 * 1024) })))[0];
    expect((long?.value ?? '').length).toBeLessThan(100);
  });

  it('survives any value in any column', () => {
    const junk: InputValue[] = [
      null,
      '',
      ' ',
      0,
      -1,
      1e308,
      true,
      false,
      new Date(Number.NaN),
      new Uint8Array(3),
      '\u0000',
      '😀',
      '0000-00-00',
    ];
    for (const column of mapping.columns) {
      for (const value of junk) {
        const result = mapping.map(demoValues({ [column]: value }));
        expect(typeof result.ok).toBe('boolean');
      }
    }
  });

  it('turns a row object that throws into LB_MAP_INTERNAL', () => {
    const hostile = new Proxy(demoValues(), {
      get() {
        throw new Error('driver blew up');
      },
    });
    expect(reasonsOf(mapping.map(hostile))[0]?.code).toBe('LB_MAP_INTERNAL');
  });
});

function mappingLine(prefix: string): number {
  return (
    readFileSync(DEMO_MAPPING_FILE, 'utf8')
      .split('\n')
      .findIndex((l) => l.trimStart().startsWith(prefix)) + 1
  );
}
