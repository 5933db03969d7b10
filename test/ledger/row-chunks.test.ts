/**
 * Multi-row inserts are sliced by rowChunks (ledger/db.ts): on SQLite, full slices and then
 * powers of two, so a page's insert texts are few and stay compiled; on PostgreSQL, full slices.
 * Every row goes in exactly once, in order.
 */
import { describe, expect, it } from 'vitest';
import { type Db, inLists, paddedRowChunks, rowChunks } from '../../ledger/db.js';

const sqlite = { dialect: 'sqlite', maxRows: 500, maxParams: 32_766 } as Db;
const postgres = { dialect: 'postgres', maxRows: Number.POSITIVE_INFINITY, maxParams: 65_535 } as Db;
const rows = (n: number) => Array.from({ length: n }, (_, i) => i);

describe('rowChunks', () => {
  it('SQLite: full slices, then the rest in powers of two, largest first', () => {
    expect(rowChunks(sqlite, rows(491), 12).map((c) => c.length)).toEqual([256, 128, 64, 32, 8, 2, 1]);
    expect(rowChunks(sqlite, rows(1200), 12).map((c) => c.length)).toEqual([500, 500, 128, 64, 8]);
    expect(rowChunks(sqlite, rows(500), 12).map((c) => c.length)).toEqual([500]);
    expect(rowChunks(sqlite, rows(1), 12).map((c) => c.length)).toEqual([1]);
    expect(rowChunks(sqlite, rows(0), 12)).toEqual([]);
    // The bind limit makes the slice smaller than 500: 999 / 12 = 83 rows, then powers of two.
    const old = { ...sqlite, maxParams: 999 } as Db;
    expect(rowChunks(old, rows(250), 12).map((c) => c.length)).toEqual([83, 83, 83, 1]);
    expect(rowChunks(old, rows(248), 12).map((c) => c.length)).toEqual([83, 83, 64, 16, 2]);
  });

  it('keeps every row once, in order', () => {
    for (const n of [0, 1, 7, 255, 256, 257, 499, 500, 501, 1337]) {
      expect(rowChunks(sqlite, rows(n), 13).flat()).toEqual(rows(n));
      expect(rowChunks(postgres, rows(n), 13).flat()).toEqual(rows(n));
    }
  });

  it('PostgreSQL: slices of as many rows as the bind limit allows', () => {
    expect(rowChunks(postgres, rows(12_000), 12).map((c) => c.length)).toEqual([5461, 5461, 1078]);
  });
});

describe('inLists', () => {
  it('SQLite: pads each list to one of a few lengths by repeating its last id', () => {
    const lists = (n: number) => inLists(sqlite, rows(n), 1);
    for (const n of [489, 491, 500, 512]) {
      const [list] = lists(n);
      expect(list?.length).toBe(512);
      expect(new Set(list)).toEqual(new Set(rows(n)));
      expect(list?.slice(n).every((id) => id === n - 1)).toBe(true);
    }
    expect(lists(1).map((l) => l.length)).toEqual([8]);
    expect(lists(9).map((l) => l.length)).toEqual([32]);
    expect(lists(100).map((l) => l.length)).toEqual([128]);
    expect(lists(0)).toEqual([]);
  });

  it('SQLite: a list longer than the last length, or past the bind limit, is left as it is', () => {
    expect(inLists(sqlite, rows(3000), 1).map((l) => l.length)).toEqual([3000]);
    expect(inLists(sqlite, rows(40_000), 1).map((l) => l.length)).toEqual([32_765, 7235]);
    const old = { ...sqlite, maxParams: 999 } as Db;
    // Never padded past the bind limit.
    expect(inLists(old, rows(1200), 0).map((l) => l.length)).toEqual([999, 512]);
    expect(inLists(old, rows(600), 0).map((l) => l.length)).toEqual([600]);
  });

  it('PostgreSQL: slices as they are, unpadded', () => {
    expect(inLists(postgres, rows(491), 1).map((l) => l.length)).toEqual([491]);
  });
});

describe('paddedRowChunks', () => {
  it('SQLite: slices of the most parameters kept compiled, the rest padded with the last row', () => {
    // 4,096 parameters / 10 columns = 409 rows a slice.
    const chunks = paddedRowChunks(sqlite, rows(491), 10);
    expect(chunks.map((c) => c.length)).toEqual([409, 128]);
    expect(new Set(chunks.flat())).toEqual(new Set(rows(491)));
    expect(chunks[1]?.slice(82).every((r) => r === 490)).toBe(true);
    expect(paddedRowChunks(sqlite, rows(495), 10).map((c) => c.length)).toEqual([409, 128]);
    expect(paddedRowChunks(sqlite, rows(300), 10).map((c) => c.length)).toEqual([409]);
    expect(paddedRowChunks(sqlite, rows(3), 10).map((c) => c.length)).toEqual([8]);
    expect(paddedRowChunks(sqlite, rows(0), 10)).toEqual([]);
    // Few columns: no more rows than the compound select takes.
    expect(paddedRowChunks(sqlite, rows(600), 2).map((c) => c.length)).toEqual([500, 128]);
  });

  it('PostgreSQL: rowChunks as they are, unpadded', () => {
    expect(paddedRowChunks(postgres, rows(491), 10).map((c) => c.length)).toEqual([491]);
  });
});
