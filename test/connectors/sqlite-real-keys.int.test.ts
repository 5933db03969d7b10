/**
 * SQLite keys and cursors stored as REAL past 64 bits (1e19, 1e20, 1.5e20 — a serial a legacy
 * system kept in a FLOAT column). The checkpoint is String(number), `100000000000000000000` for
 * 1e20: digit text, which was bound back as a BigInt that no SQLite INTEGER holds, and
 * better-sqlite3 refused it ("too big"): every run after such a page failed. Past 64 bits only a
 * REAL is written as digit text, so it binds back as that REAL.
 */
import { describe, expect, it } from 'vitest';
import type { Page, StreamSpec } from '../../connectors/source.js';
import { readAll } from './conformance.js';
import { sqliteSource } from './legacy-sources.js';

// In SQLite's order; 9e18 still fits a 64-bit integer, 1e19 on do not, 1e21 on print with an exponent.
const VALUES = [-1e20, 1.5, 9e18, 1e19, 1e20, 1.5e20, 1e21, 2.5e300];
const keys = VALUES.map((v) => String(v));

// Between 2^53 and 2^63 a REAL's String() is its shortest digits padded with zeros: 2^60 is
// 1152921504606846976 and prints 1152921504606847000. The INTEGERs in between sort after the REAL.
const R60 = 2 ** 60;
const MIXED: [number | bigint, number | bigint][] = [
  [R60, 1n],
  [1152921504606846980n, 2n],
  [1152921504606846999n, R60],
  [2 ** 62, 1152921504606846990n],
  [4611686018427387905n, 1152921504606847001n],
];
const mixedKeys = MIXED.map(([id]) => String(id));

const legacy = sqliteSource('licbridge-sqlite-real-keys-', (w) => {
  w.exec('CREATE TABLE T_REAL (ID REAL PRIMARY KEY, MC TEXT, BBH REAL)');
  // An INTEGER column keeps a value past 64 bits as REAL.
  w.exec('CREATE TABLE T_INT (ID INTEGER PRIMARY KEY, MC TEXT, BBH INTEGER NOT NULL)');
  // A column without a type keeps each value's storage class: INTEGERs and REALs side by side.
  w.exec('CREATE TABLE T_MIXED (ID, MC TEXT, BBH)');
  const mixed = w.prepare('INSERT INTO T_MIXED VALUES (?, ?, ?)');
  for (const [i, [id, bbh]] of MIXED.entries()) mixed.run(id, `mixed ${i}`, bbh);
  const real = w.prepare('INSERT INTO T_REAL VALUES (?, ?, ?)');
  const int = w.prepare('INSERT INTO T_INT VALUES (?, ?, ?)');
  VALUES.forEach((v, i) => {
    real.run(v, `name ${i}`, v);
    int.run(i + 1, `name ${i}`, v);
  });
});

const keysOf = (pages: Page[]) => pages.flatMap((p) => p.rows.map((r) => r.key));

describe('sqlite REAL keys and cursors past 64 bits', () => {
  const streams: [string, StreamSpec, string[]][] = [
    ['a REAL key', { table: 'T_REAL', key: 'ID' }, keys],
    ['a REAL cursor', { table: 'T_REAL', key: 'MC', cursor: 'BBH' }, VALUES.map((_, i) => `name ${i}`)],
    [
      'an INTEGER cursor holding REALs',
      { table: 'T_INT', key: 'ID', cursor: 'BBH' },
      VALUES.map((_, i) => String(i + 1)),
    ],
    [
      'a query stream, key only',
      { table: 'q', query: 'SELECT ID, MC FROM T_REAL', key: 'ID', keyUnique: true },
      keys,
    ],
    [
      'a query stream with a cursor',
      { table: 'q', query: 'SELECT ID, BBH FROM T_INT', key: 'ID', cursor: 'BBH', keyUnique: true },
      VALUES.map((_, i) => String(i + 1)),
    ],
  ];
  for (const [what, stream, expected] of streams) {
    it(`reads ${what} once, at every page size, and resumes after each checkpoint`, async () => {
      for (const size of [1, 3]) {
        const pages = await readAll(legacy.source, stream, size);
        expect(keysOf(pages), `page size ${size}`).toEqual(expected);
        let read = 0;
        for (const page of pages) {
          read += page.rows.length;
          const rest = await readAll(legacy.source, stream, size, page.checkpoint);
          expect(keysOf(rest), `after ${read} rows`).toEqual(expected.slice(read));
        }
      }
    });
  }

  const mixedStreams: [string, StreamSpec, string[]][] = [
    ['a key', { table: 'T_MIXED', key: 'ID', keyUnique: true }, mixedKeys],
    [
      'a cursor',
      { table: 'T_MIXED', key: 'MC', cursor: 'BBH', keyUnique: true },
      MIXED.map((_, i) => `mixed ${i}`),
    ],
    [
      "a query stream's key",
      { table: 'q', query: 'SELECT ID, MC FROM T_MIXED', key: 'ID', keyUnique: true },
      mixedKeys,
    ],
  ];
  for (const [what, stream, expected] of mixedStreams) {
    it(`resumes ${what} of INTEGERs and REALs past 2^53 after each checkpoint, none skipped`, async () => {
      const pages = await readAll(legacy.source, stream, 1);
      expect(keysOf(pages)).toEqual(expected);
      let read = 0;
      for (const page of pages) {
        read += page.rows.length;
        const rest = await readAll(legacy.source, stream, 1, page.checkpoint);
        expect(keysOf(rest), `after ${read} rows`).toEqual(expected.slice(read));
      }
    });
  }

  it('lists REAL keys past 64 bits for reconciliation', async () => {
    const listed: string[] = [];
    for await (const chunk of legacy.source.keys({ table: 'T_REAL', key: 'ID' }, { chunkSize: 2 })) {
      listed.push(...chunk);
      if (listed.length > 100) break;
    }
    expect(listed).toEqual(keys);
  });
});
