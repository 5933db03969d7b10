import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeKeyPosition } from '../../connectors/key-position.js';
import { openSource } from '../../connectors/open-source.js';
import type { Page } from '../../connectors/source.js';
import { generateLegacyDatabase } from '../../examples/west-coast/generate-legacy-db.js';

type Row = Record<string, string | number>;

const dir = mkdtempSync(join(tmpdir(), 'licbridge-legacy-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function readRows(path: string): Row[] {
  const db = new Database(path, { readonly: true });
  try {
    return db.prepare('SELECT * FROM T_SPXK_XKZ ORDER BY ID').all() as Row[];
  } finally {
    db.close();
  }
}

// GB 32100-2015, written here from the standard's definition, independently of the generator.
const USCC_CHARS = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const USCC_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
function usccValid(code: string): boolean {
  if (!/^[0-9A-HJ-NP-RTUWXY]{18}$/.test(code)) return false;
  const sum = USCC_WEIGHTS.reduce((s, w, i) => s + w * USCC_CHARS.indexOf(code.charAt(i)), 0);
  return USCC_CHARS.charAt((31 - (sum % 31)) % 31) === code.charAt(17);
}

// GB 11643-1999.
function residentIdValid(id: string): boolean {
  if (!/^\d{17}[\dX]$/.test(id)) return false;
  const w = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  const sum = w.reduce((s, x, i) => s + x * Number(id.charAt(i)), 0);
  return '10X98765432'.charAt(sum % 11) === id.charAt(17);
}

const share = (rows: Row[], test: (r: Row) => boolean): number => rows.filter(test).length / rows.length;

/**
 * The rows that break `rules`, as `ID: what` (each rule gives its complaint about a row, or
 * nothing): every row is held to every rule and every break is named at once. An expect per row
 * and rule over thousands of rows was most of this file's time.
 */
function breaks(rows: Row[], rules: (r: Row) => (string | false | undefined)[]): string[] {
  const out: string[] = [];
  for (const r of rows) for (const why of rules(r)) if (why) out.push(`${r.ID}: ${why}`);
  return out;
}

describe('the legacy database generator', () => {
  const path = join(dir, 'default.db');
  let rows: Row[];
  beforeAll(async () => {
    expect(await generateLegacyDatabase(path)).toEqual({ rows: 3000 });
    rows = readRows(path);
  });

  it('checks its own check-char oracles against the standards’ vectors', () => {
    for (const v of [
      '91370406L24894136J',
      '11100000000013338W',
      '11220000013544541J',
      '11100000MB03271699',
    ]) {
      expect(usccValid(v), v).toBe(true);
    }
    expect(usccValid('91370406L24894136K')).toBe(false);
    expect(residentIdValid('11010519491231002X')).toBe(true);
    expect(residentIdValid('440524188001010014')).toBe(true);
  });

  it('is deterministic from the seed and overwrites an existing file', async () => {
    const a = join(dir, 'a.db');
    const b = join(dir, 'b.db');
    await generateLegacyDatabase(a, { rows: 400, seed: 7 });
    await generateLegacyDatabase(b, { rows: 50, seed: 1 });
    await generateLegacyDatabase(b, { rows: 400, seed: 7 });
    expect(readRows(b)).toEqual(readRows(a));
    await generateLegacyDatabase(b, { rows: 400, seed: 8 });
    expect(readRows(b)).not.toEqual(readRows(a));
  });

  it('writes the table exactly as the legacy system declares it', () => {
    const db = new Database(path, { readonly: true });
    const cols = db.prepare("SELECT name, type FROM pragma_table_info('T_SPXK_XKZ')").all();
    db.close();
    expect(cols).toEqual(
      [
        ['ID', 'INTEGER'],
        ['XKZBH', 'CHAR(20)'],
        ['JYZMC', 'VARCHAR(200)'],
        ['TYSHXYDM', 'CHAR(18)'],
        ['FDDBR', 'VARCHAR(50)'],
        ['FDDBRSFZ', 'CHAR(18)'],
        ['JYCS', 'VARCHAR(300)'],
        ['ZTYT', 'VARCHAR(50)'],
        ['JYXM', 'VARCHAR(500)'],
        ['FZRQ', 'CHAR(8)'],
        ['YXQZ', 'CHAR(8)'],
        ['FZJG', 'VARCHAR(100)'],
        ['ZT', 'CHAR(1)'],
        ['XZQH', 'CHAR(6)'],
        ['GXSJ', 'TEXT'],
        ['YZSBH', 'CHAR(20)'],
      ].map(([name, type]) => ({ name, type })),
    );
  });

  it('pads license numbers to CHAR(20) and keeps them unique', () => {
    const form = /^JY2370211\d{7} {4}$/;
    expect(
      breaks(rows, (r) => [!(typeof r.XKZBH === 'string' && form.test(r.XKZBH)) && `XKZBH ${r.XKZBH}`]),
    ).toEqual([]);
    expect(new Set(rows.map((r) => r.XKZBH)).size).toBe(rows.length);
  });

  it('gives about 98% valid credit codes, the rest broken by check char or forbidden letter', () => {
    const valid = share(rows, (r) => usccValid(String(r.TYSHXYDM)));
    expect(valid).toBeGreaterThan(0.965);
    expect(valid).toBeLessThan(0.993);
    expect(
      breaks(rows, (r) => {
        const code = String(r.TYSHXYDM);
        return [
          !/^(91|92|12)370211[0-9A-Z]{10}$/.test(code) && `form ${code}`,
          // Not a forbidden letter, so the only fault is the check char.
          !usccValid(code) &&
            !/[IOSVZ]/.test(code) &&
            !USCC_CHARS.includes(code.charAt(17)) &&
            `check char ${code}`,
        ];
      }),
    ).toEqual([]);
    expect(rows.some((r) => /[IOSVZ]/.test(String(r.TYSHXYDM)))).toBe(true);
  });

  it('gives legal representatives valid district ID numbers, about 3% with a lowercase x', () => {
    expect(
      breaks(rows, (r) => {
        const id = String(r.FDDBRSFZ);
        const [y, m, d] = [id.slice(6, 10), id.slice(10, 12), id.slice(12, 14)].map(Number) as [
          number,
          number,
          number,
        ];
        const birth = new Date(Date.UTC(y, m - 1, d));
        return [
          !residentIdValid(id.toUpperCase()) && `GB 11643 check ${id}`,
          id.slice(0, 6) !== '370211' && `district ${id}`,
          !(birth.getUTCMonth() + 1 === m && birth.getUTCDate() === d) && `not a real date ${id}`,
          !(y >= 1950 && y <= 2000) && `born ${y}`,
          !/^\p{Script=Han}{2,3}$/u.test(String(r.FDDBR)) && `FDDBR ${r.FDDBR}`,
        ];
      }),
    ).toEqual([]);
    const lower = share(rows, (r) => String(r.FDDBRSFZ).endsWith('x'));
    expect(lower).toBeGreaterThan(0.015);
    expect(lower).toBeLessThan(0.05);
  });

  it('roughly holds the status proportions', () => {
    const expected: Record<string, number> = { '1': 0.88, '0': 0.05, '2': 0.03, '3': 0.04 };
    for (const [zt, p] of Object.entries(expected)) {
      expect(Math.abs(share(rows, (r) => r.ZT === zt) - p), `ZT ${zt}`).toBeLessThan(0.025);
    }
    expect(share(rows, (r) => !(String(r.ZT) in expected))).toBe(0);
  });

  it('writes yyyyMMdd dates: issued 2016–2025, valid five years less a day, ~1% 00000000', () => {
    expect(
      breaks(rows, (r) => {
        const issued = String(r.FZRQ);
        if (!/^20(1[6-9]|2[0-5])\d{4}$/.test(issued)) return [`FZRQ ${issued}`];
        if (r.YXQZ === '00000000') return [];
        const y = Number(issued.slice(0, 4));
        const until = new Date(Date.UTC(y + 5, Number(issued.slice(4, 6)) - 1, Number(issued.slice(6)) - 1));
        const expected = until.toISOString().slice(0, 10).replaceAll('-', '');
        return [r.YXQZ !== expected && `YXQZ ${r.YXQZ}, not ${expected}`];
      }),
    ).toEqual([]);
    const none = share(rows, (r) => r.YXQZ === '00000000');
    expect(none).toBeGreaterThan(0.002);
    expect(none).toBeLessThan(0.025);
  });

  it('fills the remaining columns the way the department does', () => {
    expect(
      breaks(rows, (r) => [
        r.FZJG !== '青岛西海岸新区市场监督管理局' && `FZJG ${r.FZJG}`,
        r.XZQH !== '370211' && `XZQH ${r.XZQH}`,
        !['食品销售经营者', '餐饮服务经营者', '单位食堂'].some((t) => t === r.ZTYT) && `ZTYT ${r.ZTYT}`,
        !/^山东省青岛市黄岛区.+路?\d+号/.test(String(r.JYCS)) && `JYCS ${r.JYCS}`,
        !String(r.JYXM)
          .split('；')
          .every((item) => /制售|销售/.test(item)) && `JYXM ${r.JYXM}`,
        !/超市|店|商行|有限公司|馆|酒楼|食堂/.test(String(r.JYZMC)) && `JYZMC ${r.JYZMC}`,
        !/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}\.\d{6}$/.test(String(r.GXSJ)) && `GXSJ ${r.GXSJ}`,
      ]),
    ).toEqual([]);
    expect(rows.some((r) => String(r.JYXM).includes('；'))).toBe(true);
  });

  it('makes about 3 in 100 valid licenses issued from 2021 renewals of a license of the same business that ran out then', () => {
    const byNumber = new Map(rows.map((r) => [String(r.XKZBH).trim(), r]));
    const renewals = rows.filter((r) => r.YZSBH !== null);
    const day = (yyyymmdd: string) =>
      Date.UTC(Number(yyyymmdd.slice(0, 4)), Number(yyyymmdd.slice(4, 6)) - 1, Number(yyyymmdd.slice(6))) /
      86_400_000;
    const olds = new Set<string>();
    for (const r of renewals) {
      expect(String(r.YZSBH)).toMatch(/^JY2370211\d{7} {4}$/);
      const old = byNumber.get(String(r.YZSBH).trim()) as Row;
      expect(old, String(r.YZSBH)).toBeDefined();
      olds.add(String(old.XKZBH));
      // Both map cleanly: valid, a good credit code, an end date; the same business.
      for (const x of [r, old]) {
        expect(x.ZT).toBe('1');
        expect(usccValid(String(x.TYSHXYDM))).toBe(true);
        expect(x.YXQZ).not.toBe('00000000');
      }
      for (const c of ['JYZMC', 'TYSHXYDM', 'FDDBR', 'FDDBRSFZ', 'JYCS', 'ZTYT', 'JYXM'])
        expect(r[c], c).toBe(old[c]);
      // Issued while the old license's last 60 days ran, or on its last day.
      const left = day(String(old.YXQZ)) - day(String(r.FZRQ));
      expect(left).toBeGreaterThanOrEqual(-1);
      expect(left).toBeLessThanOrEqual(60);
      // Read after the license it continues (the cursor is GXSJ).
      expect(String(old.GXSJ) < String(r.GXSJ)).toBe(true);
      expect(old.YZSBH).toBeNull();
    }
    expect(olds.size).toBe(renewals.length);
    const renewable = rows.filter((r) => r.ZT === '1' && String(r.FZRQ) >= '20210101');
    const share = renewals.length / renewable.length;
    expect(share).toBeGreaterThan(0.02);
    expect(share).toBeLessThan(0.04);
  });

  it('gives many rows the same GXSJ, as batch updates do', () => {
    const groups = new Map<string, number>();
    for (const r of rows) groups.set(String(r.GXSJ), (groups.get(String(r.GXSJ)) ?? 0) + 1);
    const big = [...groups.values()].filter((n) => n >= 50);
    expect(big.length).toBeGreaterThanOrEqual(3);
  });

  it('reads back through the SQLite connector: every row once, pages crossing equal cursors', async () => {
    const connector = await openSource('west-coast', { kind: 'sqlite', path, trim: 'all', pageSize: 500 });
    try {
      const stream = { table: 'T_SPXK_XKZ', key: 'ID', cursor: 'GXSJ' };
      const pages: Page[] = [];
      for await (const page of connector.read({ stream, after: null, pageSize: 37 })) pages.push(page);
      const keys = pages.flatMap((p) => p.rows.map((r) => r.key));
      expect(keys).toHaveLength(3000);
      expect(new Set(keys).size).toBe(3000);
      const crossing = pages.filter(
        (p, i) => decodeKeyPosition(p.checkpoint, 'test').cursor === pages[i + 1]?.rows[0]?.values.GXSJ,
      );
      expect(crossing.length).toBeGreaterThan(5);
      expect(pages[0]?.rows[0]?.values.XKZBH).toMatch(/^JY2370211\d{7}$/);
      expect(await connector.count(stream)).toBe(3000);
    } finally {
      await connector.close();
    }
  });
});

describe('the legacy database generator at scale', () => {
  it('draws, a chunk at a time, the very rows it drew all at once before', async () => {
    const big = join(dir, 'chunks.db');
    const progress: number[] = [];
    await generateLegacyDatabase(big, {
      rows: 25_000,
      seed: 20201,
      cateringRows: 50,
      onProgress: (written, rows) => {
        expect(rows).toBe(25_000);
        progress.push(written);
      },
    });
    expect(progress).toEqual([10_000, 20_000, 25_000]);
    const all = readRows(big);
    // The rows the renewal pass leaves alone, without its column: as the generator wrote them when
    // it held every row in memory (25,000 rows, seed 20201). That digest, over every row, was
    // e84f17de…c1a7 before renewals; the renewal pass was then turned off by hand and the same run
    // gave it again, and these are its rows that are not renewals.
    const kept = createHash('sha256');
    for (const { YZSBH, ...row } of all) if (YZSBH === null) kept.update(`${JSON.stringify(row)}\n`);
    expect(kept.digest('hex')).toBe('71004116d6dcd5ced19bd6e2d079583251f0a8dbd8ce76ebffbf71e8b79d2565');
    // And the whole table with its 330 renewals, drawn from the renewal stream.
    expect(all.filter((r) => r.YZSBH !== null)).toHaveLength(330);
    const digest = createHash('sha256');
    for (const row of all) digest.update(`${JSON.stringify(row)}\n`);
    expect(digest.digest('hex')).toBe('1a38590399edcd9a0abf0cd047fa1b1d181bcc28e46c1ca38e8f3eb5d582271d');
  });

  it('leaves no database behind when it fails part-way, so a rerun is never taken for complete', async () => {
    const failed = join(dir, 'failed.db');
    await expect(
      generateLegacyDatabase(failed, {
        rows: 20_000,
        onProgress: (written) => {
          if (written >= 10_000) throw new Error('interrupted');
        },
      }),
    ).rejects.toThrow('interrupted');
    expect(readdirSync(dir).filter((f) => f.startsWith('failed.db'))).toEqual([]);
  });

  it('refuses more rows than its 7-digit serials can number', async () => {
    await expect(generateLegacyDatabase(join(dir, 'huge.db'), { rows: 9_000_001 })).rejects.toThrow(
      /rows must be a whole number from 0 to 8000000/,
    );
  });
});
