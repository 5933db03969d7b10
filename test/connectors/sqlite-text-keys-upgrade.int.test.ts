/**
 * SQLite checkpoints of keys stored as zero-padded digit text (`00042`) written before such text
 * was kept apart from numbers in the checkpoint. An older licbridge wrote the position as the
 * text itself, which was then bound back as the INTEGER 42: a view's key-only read returned its
 * first page again, and a query stream over a TEXT column skipped `00043` and on. Digit text
 * that no number is ever written as (a leading zero, an exponent, a `+`) can only be stored text,
 * so such a checkpoint resumes after exactly the row it names, whichever version wrote it.
 */
import { describe, expect, it } from 'vitest';
import { decodeKeyPosition, encodeKeyPosition } from '../../connectors/key-position.js';
import type { Page, StreamSpec } from '../../connectors/source.js';
import { readAll } from './conformance.js';
import { sqliteSource } from './legacy-sources.js';

const ROWS = 7;
const numbers = Array.from({ length: ROWS }, (_, i) => String(i + 41).padStart(5, '0'));

const legacy = sqliteSource('licbridge-sqlite-text-keys-upgrade-', (w) => {
  w.exec('CREATE TABLE T_XKZ (ID INTEGER PRIMARY KEY, XKZBH TEXT NOT NULL, MC TEXT, GXSJ TEXT)');
  const ins = w.prepare('INSERT INTO T_XKZ VALUES (?, ?, ?, ?)');
  for (let i = 0; i < ROWS; i++) ins.run(i + 41, numbers[i], `name ${i}`, '2024-05-01 08:00:00');
  w.exec(`CREATE VIEW V_XKZ AS SELECT printf('%05d', ID) AS BH, MC, GXSJ FROM T_XKZ`);
});

const keysOf = (pages: Page[]) => pages.flatMap((p) => p.rows.map((r) => r.key));

/** The checkpoint an older licbridge wrote for the same position: the stored text as it is. */
function asWrittenBefore(checkpoint: string): string {
  const p = decodeKeyPosition(checkpoint, 'legacy');
  const plain = (t: string | null) => (t === null ? null : t.replace(/^text:/, ''));
  return encodeKeyPosition({ cursor: plain(p.cursor), key: plain(p.key) as string });
}

describe('sqlite checkpoints of zero-padded text keys written by an older licbridge', () => {
  const streams: [string, StreamSpec][] = [
    ['a view, key only', { table: 'V_XKZ', key: 'BH', keyUnique: true }],
    ['a view, one cursor value', { table: 'V_XKZ', key: 'BH', cursor: 'GXSJ', keyUnique: true }],
    [
      'a query stream over a TEXT column, key only',
      { table: 'q', query: 'SELECT XKZBH, MC FROM T_XKZ', key: 'XKZBH', keyUnique: true },
    ],
    [
      'a query stream over a TEXT column, one cursor value',
      {
        table: 'q',
        query: 'SELECT XKZBH, MC, GXSJ FROM T_XKZ',
        key: 'XKZBH',
        cursor: 'GXSJ',
        keyUnique: true,
      },
    ],
  ];
  for (const [what, stream] of streams) {
    it(`resumes ${what} after exactly the row the old checkpoint names`, async () => {
      for (const size of [1, 3]) {
        const pages = await readAll(legacy.source, stream, size);
        expect(keysOf(pages), `page size ${size}`).toEqual(numbers);
        let read = 0;
        for (const page of pages) {
          read += page.rows.length;
          const rest = await readAll(legacy.source, stream, size, asWrittenBefore(page.checkpoint));
          expect(keysOf(rest), `page size ${size}, after ${read} rows`).toEqual(numbers.slice(read));
        }
      }
    });
  }

  it('writes such keys as the text itself, which an older licbridge reads as it did before', async () => {
    const pages = await readAll(legacy.source, { table: 'V_XKZ', key: 'BH', keyUnique: true }, 2);
    expect(decodeKeyPosition(pages[0]?.checkpoint ?? '', 'legacy').key).toBe('00042');
  });
});
