/**
 * Multi-row inserts are sliced by rowChunks (ledger/db.ts): on SQLite, full slices and then
 * powers of two, so a page's insert texts are few and stay compiled; on PostgreSQL, full slices.
 * Every row goes in exactly once, in order.
 */
import { describe, expect, it } from 'vitest';
import { type Db, rowChunks } from '../../ledger/db.js';

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
