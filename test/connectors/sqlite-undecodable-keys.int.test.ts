/**
 * SQLite keys and cursors stored as TEXT that is not UTF-8 (STANDARDS §6, "Encodings"): a Windows
 * application that wrote its GBK strings into the database as they were, which SQLite stores
 * without a check. better-sqlite3 reads such text as UTF-8 and puts U+FFFD for each byte it cannot
 * read, so `中001` (D6 D0 30 30 31) came back as `��001`, and a page's checkpoint named that text,
 * which is not what the table holds: the next page started after `��001` (EF BF BD …), past
 * every key whose bytes sort below it. At page size 2, four of seven rows were never read; at page
 * size 1 the read never ended. A checkpoint that cannot name its row now fails the read, naming
 * the column and the way out (the column read as bytes, and the charset repair), before any row
 * past it is handed over.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSource } from '../../connectors/open-source.js';
import type { Page, SourceConnector, StreamSpec } from '../../connectors/source.js';
import { ErrorCodes, isLicbridgeError } from '../../core/errors.js';
import { readAll } from './conformance.js';

/** Keys as GBK bytes, in the order SQLite sorts them (by their bytes). */
const KEYS: [string, string][] = [
  ['41303031', 'A001'],
  ['B1B1303031', '北001'],
  ['C4CF303031', '南001'],
  ['CEF7303031', '西001'],
  ['D6D0303031', '中001'],
  ['D6D0303032', '中002'],
  ['D6D0303033', '中003'],
];

const dir = mkdtempSync(join(tmpdir(), 'licbridge-sqlite-undecodable-'));
const file = join(dir, 'legacy.db');
let plain: SourceConnector;
let repaired: SourceConnector;

beforeAll(async () => {
  const w = new Database(file);
  w.exec('CREATE TABLE T_GBK (XKZBH TEXT PRIMARY KEY, MC TEXT, GXSJ TEXT)');
  w.exec('CREATE TABLE T_GBK_PC (ID INTEGER PRIMARY KEY, PC TEXT NOT NULL)');
  KEYS.forEach(([hex], i) => {
    w.exec(`INSERT INTO T_GBK VALUES (CAST(X'${hex}' AS TEXT), 'x', '2024-05-01 08:00:00')`);
    w.exec(`INSERT INTO T_GBK_PC VALUES (${i + 1}, CAST(X'${hex}' AS TEXT))`);
  });
  w.close();
  plain = await openSource('legacy', { kind: 'sqlite', path: file, trim: 'all', pageSize: 500 });
  repaired = await openSource('legacy', {
    kind: 'sqlite',
    path: file,
    trim: 'all',
    pageSize: 500,
    charset: { repair: ['XKZBH', 'PC'], from: 'gbk' },
  });
});

afterAll(async () => {
  await plain?.close();
  await repaired?.close();
  rmSync(dir, { recursive: true, force: true });
});

const keysOf = (pages: Page[]) => pages.flatMap((p) => p.rows.map((r) => r.key));

describe('sqlite keys and cursors stored as text that is not UTF-8', () => {
  const streams: [string, StreamSpec][] = [
    ['a key', { table: 'T_GBK', key: 'XKZBH' }],
    ['a key and a cursor', { table: 'T_GBK', key: 'XKZBH', cursor: 'GXSJ' }],
    ['a cursor', { table: 'T_GBK_PC', key: 'ID', cursor: 'PC' }],
  ];
  for (const [what, stream] of streams) {
    it(`fails the read of ${what} instead of passing rows over or reading for ever`, async () => {
      for (const size of [1, 2, 3, KEYS.length]) {
        const pages: Page[] = [];
        const error = await readAll(plain, stream, size).then(
          (p) => pages.push(...p),
          (e: unknown) => e,
        );
        expect(isLicbridgeError(error), `page size ${size}: ${String(error)}`).toBe(true);
        const e = error as Error & { code: string; retryable: boolean };
        expect([e.code, e.retryable]).toEqual([ErrorCodes.SOURCE_QUERY, false]);
        expect(e.message).toContain('source legacy');
        const column = stream.cursor === 'PC' ? 'PC' : 'XKZBH';
        expect(e.message).toContain(`\`${column}\``);
        expect(e.message).toContain(`CAST(${column} AS BLOB)`);
        // The value itself is never quoted.
        expect(e.message).not.toContain('\uFFFD');
      }
    });
  }

  it('reads every key once as bytes in a query stream, decoded by the charset repair', async () => {
    const stream: StreamSpec = {
      table: 'gbk',
      query: 'SELECT CAST(XKZBH AS BLOB) AS XKZBH, MC FROM T_GBK',
      key: 'XKZBH',
      keyUnique: true,
    };
    for (const size of [1, 2, KEYS.length]) {
      const pages = await readAll(repaired, stream, size);
      expect(keysOf(pages), `page size ${size}`).toEqual(KEYS.map(([, text]) => text));
    }
  });
});
