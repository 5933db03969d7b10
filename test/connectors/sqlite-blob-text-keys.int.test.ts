/**
 * SQLite keys stored as BLOBs in a column of TEXT affinity: a legacy application that bound its
 * GBK strings as bytes (`sqlite3_bind_blob`), which SQLite keeps as BLOBs in any column. SQLite
 * orders every TEXT before every BLOB. The checkpoint of such a key is its bytes as `\x` and hex
 * (values.ts), and it was bound back as that text, since the column's affinity is TEXT: `key >
 * '\xd6d03031'` held for every BLOB, the page's own last key included, and the read never ended
 * (or read the keys after it again, page after page). It is bound back as the bytes it was read as.
 */
import { describe, expect, it } from 'vitest';
import { decodeKeyPosition } from '../../connectors/key-position.js';
import type { Page, StreamSpec } from '../../connectors/source.js';
import { readAll } from './conformance.js';
import { sqliteSource } from './legacy-sources.js';

const bytes = (hex: string) => Buffer.from(hex, 'hex');

// In SQLite's order: TEXT by its bytes, then BLOBs by theirs.
const KEYS: (string | Buffer)[] = [
  'A001',
  'B002',
  'blob:\\x41',
  'text:blob:\\x42',
  bytes('b1b13031'),
  bytes('d6d03031'),
  bytes('d6d03032'),
];
const keyText = (k: string | Buffer) => (typeof k === 'string' ? k : `\\x${k.toString('hex')}`);
const expected = KEYS.map(keyText);

const legacy = sqliteSource('licbridge-sqlite-blob-text-', (w) => {
  w.exec('CREATE TABLE T_XKZ (XKZBH VARCHAR(20) PRIMARY KEY, MC TEXT, GXSJ TEXT NOT NULL)');
  const ins = w.prepare('INSERT INTO T_XKZ VALUES (?, ?, ?)');
  // Every row on one update time: a tie longer than any page below.
  for (const k of [...KEYS].reverse()) ins.run(k, 'x', '2024-05-01 08:00:00');
});

const keysOf = (pages: Page[]) => pages.flatMap((p) => p.rows.map((r) => r.key));

describe('sqlite BLOB keys in a TEXT column', () => {
  const streams: [string, StreamSpec][] = [
    ['key only', { table: 'T_XKZ', key: 'XKZBH' }],
    ['one cursor value', { table: 'T_XKZ', key: 'XKZBH', cursor: 'GXSJ' }],
  ];
  for (const [what, stream] of streams) {
    it(`reads every key once, ${what}, at every page size, and resumes from each checkpoint`, async () => {
      for (const size of [1, 2, 3, KEYS.length]) {
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

  it('writes the checkpoint of a BLOB key apart from text that reads the same', async () => {
    const pages = await readAll(legacy.source, { table: 'T_XKZ', key: 'XKZBH' }, 1);
    const keys = pages.map((p) => decodeKeyPosition(p.checkpoint, 'legacy').key);
    expect(new Set(keys).size).toBe(KEYS.length);
  });
});
