import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeKeyPosition } from '../../connectors/key-position.js';
import { openSource } from '../../connectors/open-source.js';
import type { Page } from '../../connectors/source.js';
import { generateLegacyDatabase } from '../../examples/west-coast/generate-legacy-db.js';

type Row = Record<string, string | number>;

const dir = mkdtempSync(join(tmpdir(), 'licbridge-catering-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function readTable(path: string, table: string, key: string): Row[] {
  const db = new Database(path, { readonly: true });
  try {
    return db.prepare(`SELECT * FROM ${table} ORDER BY ${key}`).all() as Row[];
  } finally {
    db.close();
  }
}

// GB 11643-1999, written here from the standard, independently of the generator.
function idCheck(first17: string): string {
  const w = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  return '10X98765432'.charAt(w.reduce((s, x, i) => s + x * Number(first17.charAt(i)), 0) % 11);
}
function realDate(y: number, m: number, d: number): boolean {
  const t = new Date(Date.UTC(y, m - 1, d));
  return t.getUTCFullYear() === y && t.getUTCMonth() === m - 1 && t.getUTCDate() === d;
}
const birthOk = (id18: string): boolean =>
  realDate(Number(id18.slice(6, 10)), Number(id18.slice(10, 12)), Number(id18.slice(12, 14)));

const share = (rows: Row[], test: (r: Row) => boolean): number => rows.filter(test).length / rows.length;

/** `yyyy/M/d` or `yyyy-MM-dd` → [y, m, d, dashed], or undefined for any other shape. */
function parts(text: string): [number, number, number, boolean] | undefined {
  const slash = /^(\d{4})\/([1-9]\d?)\/([1-9]\d?)$/.exec(text);
  const dash = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  const m = slash ?? dash;
  return m ? [Number(m[1]), Number(m[2]), Number(m[3]), dash !== null] : undefined;
}

describe('the small-catering table of the demo database', () => {
  const path = join(dir, 'legacy.db');
  let rows: Row[];
  beforeAll(async () => {
    await generateLegacyDatabase(path, { rows: 20 });
    rows = readTable(path, 'T_XCY_DJZ', 'XH');
  });

  it('holds 400 registrations by default, or as many as asked', async () => {
    expect(rows).toHaveLength(400);
    expect(rows.map((r) => Number(r.XH))).toEqual(Array.from({ length: 400 }, (_, i) => i + 1));
    const other = join(dir, 'small.db');
    await generateLegacyDatabase(other, { rows: 5, cateringRows: 25 });
    expect(readTable(other, 'T_XCY_DJZ', 'XH')).toHaveLength(25);
  });

  it('draws from a stream of its own: the food table is the same whatever this one holds', async () => {
    const a = join(dir, 'a.db');
    const b = join(dir, 'b.db');
    await generateLegacyDatabase(a, { rows: 300, seed: 7, cateringRows: 0 });
    await generateLegacyDatabase(b, { rows: 300, seed: 7, cateringRows: 900 });
    expect(readTable(b, 'T_SPXK_XKZ', 'ID')).toEqual(readTable(a, 'T_SPXK_XKZ', 'ID'));
    expect(readTable(a, 'T_XCY_DJZ', 'XH')).toEqual([]);
    // Deterministic from the seed, and another seed gives other rows.
    await generateLegacyDatabase(a, { rows: 3, seed: 7 });
    await generateLegacyDatabase(b, { rows: 3, seed: 7 });
    expect(readTable(b, 'T_XCY_DJZ', 'XH')).toEqual(readTable(a, 'T_XCY_DJZ', 'XH'));
    await generateLegacyDatabase(b, { rows: 3, seed: 8 });
    expect(readTable(b, 'T_XCY_DJZ', 'XH')).not.toEqual(readTable(a, 'T_XCY_DJZ', 'XH'));
  });

  it('declares the columns as the registry does: text everywhere but the key', () => {
    const db = new Database(path, { readonly: true });
    const cols = db.prepare("SELECT name, type, pk FROM pragma_table_info('T_XCY_DJZ')").all();
    db.close();
    expect(cols).toEqual(
      [
        ['XH', 'INTEGER', 1],
        ['DJZBH', 'CHAR(20)', 0],
        ['JYZXM', 'VARCHAR(50)', 0],
        ['SFZHM', 'CHAR(18)', 0],
        ['ZH', 'VARCHAR(100)', 0],
        ['JYCS', 'VARCHAR(300)', 0],
        ['JYXM', 'VARCHAR(200)', 0],
        ['CYRS', 'VARCHAR(4)', 0],
        ['DJRQ', 'VARCHAR(10)', 0],
        ['YXQZ', 'VARCHAR(10)', 0],
        ['FZJG', 'VARCHAR(100)', 0],
        ['ZTDM', 'CHAR(2)', 0],
        ['XZQH', 'CHAR(6)', 0],
        ['GXSJ', 'VARCHAR(19)', 0],
      ].map(([name, type, pk]) => ({ name, type, pk })),
    );
  });

  it('pads registration numbers to CHAR(20), a few typed in lowercase, all unique', () => {
    for (const r of rows) expect(r.DJZBH).toMatch(/^(XCY|xcy)370211(201[89]|202[0-5])\d{4} {3}$/);
    expect(new Set(rows.map((r) => String(r.DJZBH).toUpperCase())).size).toBe(rows.length);
    const lower = share(rows, (r) => String(r.DJZBH).startsWith('xcy'));
    expect(lower).toBeGreaterThan(0.01);
    expect(lower).toBeLessThan(0.08);
  });

  it('holds natural persons: ID numbers mostly valid, some old or lowercase, about 2% mistyped', () => {
    let fifteen = 0;
    let lowerX = 0;
    let mistyped = 0;
    for (const r of rows) {
      expect(String(r.JYZXM)).toMatch(/^\p{Script=Han}{2,3}$/u);
      const raw = String(r.SFZHM);
      if (/^\d{15} {3}$/.test(raw)) {
        fifteen++;
        const id18 = `${raw.slice(0, 6)}19${raw.slice(6, 15)}`;
        expect(birthOk(id18), raw).toBe(true);
        continue;
      }
      expect(raw).toMatch(/^370211\d{11}[\dXx]$/);
      expect(birthOk(raw), 'a real birth date').toBe(true);
      if (raw.endsWith('x')) lowerX++;
      if (idCheck(raw.slice(0, 17)) !== raw.charAt(17).toUpperCase()) mistyped++;
    }
    expect(fifteen / rows.length).toBeGreaterThan(0.01);
    expect(fifteen / rows.length).toBeLessThan(0.06);
    expect(lowerX).toBeGreaterThan(0);
    expect(mistyped / rows.length).toBeGreaterThan(0.01);
    expect(mistyped / rows.length).toBeLessThan(0.045);
  });

  it('types dates yyyy/M/d before July 2022 and yyyy-MM-dd after, valid three years less a day', () => {
    let impossible = 0;
    for (const r of rows) {
      const issued = parts(String(r.DJRQ));
      const until = parts(String(r.YXQZ));
      expect(issued, String(r.DJRQ)).toBeDefined();
      expect(until, String(r.YXQZ)).toBeDefined();
      const [y, m, d, dashed] = issued as [number, number, number, boolean];
      expect(until?.[3], 'both dates in one format').toBe(dashed);
      expect(y).toBeGreaterThanOrEqual(2018);
      expect(y).toBeLessThanOrEqual(2025);
      if (!realDate(y, m, d)) {
        impossible++;
        continue;
      }
      expect(dashed).toBe(Date.UTC(y, m - 1, d) >= Date.UTC(2022, 6, 1));
      const end = new Date(Date.UTC(y + 3, m - 1, d - 1));
      expect(until?.slice(0, 3)).toEqual([end.getUTCFullYear(), end.getUTCMonth() + 1, end.getUTCDate()]);
    }
    expect(impossible).toBeGreaterThan(0);
    expect(impossible / rows.length).toBeLessThan(0.03);
  });

  it('fills the other columns the way the registry does', () => {
    const expected: Record<string, number> = { '01': 0.85, '02': 0.08, '03': 0.03, '04': 0.04 };
    for (const [code, p] of Object.entries(expected)) {
      expect(Math.abs(share(rows, (r) => r.ZTDM === code) - p), `ZTDM ${code}`).toBeLessThan(0.04);
    }
    for (const r of rows) {
      expect(Object.keys(expected)).toContain(r.ZTDM);
      expect(r.FZJG).toBe('青岛西海岸新区市场监督管理局');
      expect(r.XZQH).toBe('370211');
      expect(String(r.JYCS)).toMatch(/^山东省青岛市黄岛区.+\d+号/);
      expect(
        String(r.JYXM)
          .split('、')
          .every((item) => /制售|销售/.test(item)),
      ).toBe(true);
      expect(String(r.CYRS)).toMatch(/^[1-8]$/);
      expect(String(r.GXSJ)).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);
    }
    const noSign = share(rows, (r) => r.ZH === '');
    expect(noSign).toBeGreaterThan(0.03);
    expect(noSign).toBeLessThan(0.15);
    expect(rows.some((r) => String(r.JYXM).includes('、'))).toBe(true);
  });

  it('gives many rows the same GXSJ, and moves it past the registration day on an edit', () => {
    const groups = new Map<string, number>();
    for (const r of rows) groups.set(String(r.GXSJ), (groups.get(String(r.GXSJ)) ?? 0) + 1);
    expect([...groups.values()].filter((n) => n >= 5).length).toBeGreaterThanOrEqual(3);
    for (const r of rows) {
      const [y, m, d] = parts(String(r.DJRQ)) as [number, number, number, boolean];
      // A mistyped registration date is not the day the row was written.
      if (!realDate(y, m, d)) continue;
      const day = `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
      if (r.ZTDM !== '01') expect(String(r.GXSJ).slice(0, 10) > day, `XH ${r.XH}`).toBe(true);
      else expect(String(r.GXSJ).slice(0, 10) >= day, `XH ${r.XH}`).toBe(true);
    }
  });

  it('reads back through the SQLite connector: every row once, pages crossing equal cursors', async () => {
    const connector = await openSource('west-coast', { kind: 'sqlite', path, trim: 'all', pageSize: 500 });
    try {
      const stream = { table: 'T_XCY_DJZ', key: 'XH', cursor: 'GXSJ' };
      const pages: Page[] = [];
      for await (const page of connector.read({ stream, after: null, pageSize: 13 })) pages.push(page);
      const keys = pages.flatMap((p) => p.rows.map((r) => r.key));
      expect(new Set(keys).size).toBe(400);
      expect(keys).toHaveLength(400);
      const crossing = pages.filter(
        (p, i) => decodeKeyPosition(p.checkpoint, 'test').cursor === pages[i + 1]?.rows[0]?.values.GXSJ,
      );
      expect(crossing.length).toBeGreaterThan(0);
      // CHAR padding is trimmed by the connector: a 15-digit number arrives as 15 characters.
      const ids = pages.flatMap((p) => p.rows.map((r) => String(r.values.SFZHM)));
      expect(ids.some((id) => id.length === 15)).toBe(true);
    } finally {
      await connector.close();
    }
  });
});
