/**
 * `timestamptz[]` elements at the edges of what an instant's text can hold. Before 1901 a zone's
 * offset is its local mean time, to the second (Asia/Shanghai +08:05:43), which RFC 3339 does not
 * write and no Date parses: a legacy table's placeholder 1900-01-01 or 0001-01-01 must still read
 * as an instant, on the day the lone timestamptz's `date` takes. At the end of the Date range
 * (275760-09-13) the zone's wall clock is past the range, and past it (290000) node-postgres makes
 * no Date at all: neither may fail the read, which stopped a stream on every retry. (The zone's
 * wall clock past the range as a Date's text: zoned-text.test.ts.)
 */
import { describe, expect, it } from 'vitest';
import type { SourceValue } from '../../connectors/source.js';
import { compileMappingText } from '../../mappings/compile.js';
import { readAll } from './conformance.js';
import { freshPgSource } from './pg-fresh-source.js';

const mapping = compileMappingText(
  [
    'fields:',
    '  surface.fzsj: { from: FZSJ, transform: [{ date: [yyyy-MM-dd] }] }',
    '  surface.lsfzsj[]: { from: LSFZSJ, transform: [list, { replace: ["T.*$", ""] }] }',
    '',
  ].join('\n'),
  '/maps/zoned-list-edges.yaml',
);

describe('PostgreSQL timestamptz lists at the edges of the Date range', () => {
  const db = freshPgSource(
    async (fresh) => {
      await fresh.client.query(
        'CREATE TABLE lbx_bj (id int PRIMARY KEY, fzsj timestamptz, lsfzsj timestamptz[])',
      );
      // Row 2 is 00:00:20 on 1900-01-01 by Beijing's local mean time (+08:05:43).
      await fresh.client.query(
        `INSERT INTO lbx_bj VALUES
           (1, '1900-01-01 00:00+08', ARRAY['1900-01-01 00:00+08', '0001-01-01 00:00+00', NULL, 'infinity']::timestamptz[]),
           (2, '1899-12-31 15:54:37+00', ARRAY['1899-12-31 15:54:37+00']::timestamptz[]),
           (3, '275760-09-13 00:00+00', ARRAY['275760-09-13 00:00+00']::timestamptz[]),
           (4, '290000-01-01 00:00+00', ARRAY['290000-01-01 00:00+00']::timestamptz[])`,
      );
    },
    { timeZone: 'Asia/Shanghai' },
  );

  async function rows(): Promise<Record<string, SourceValue>[]> {
    const pages = await readAll(db.source, { table: 'lbx_bj', key: 'id' }, 10);
    return pages.flatMap((p) => p.rows.map((r) => r.values));
  }

  function elements(value: SourceValue | undefined): unknown[] {
    return JSON.parse(String(value)) as unknown[];
  }

  it("writes an element of a local mean time as an instant a Date parses, on the lone value's day", async () => {
    const [one, two] = await rows();
    const [lmt, first, none, infinity] = elements(one?.lsfzsj);
    expect(new Date(String(lmt)).toISOString()).toBe('1899-12-31T16:00:00.000Z');
    expect(new Date(String(first)).toISOString()).toBe('0001-01-01T00:00:00.000Z');
    expect([none, infinity]).toEqual([null, 'infinity']);
    expect(new Date(String(elements(two?.lsfzsj)[0])).toISOString()).toBe('1899-12-31T15:54:37.000Z');
    for (const row of [one, two]) {
      const out = mapping.map(
        { FZSJ: row?.fzsj ?? null, LSFZSJ: row?.lsfzsj ?? null },
        { timeZone: 'Asia/Shanghai' },
      );
      expect(out.ok && out.fields).toMatchObject({ surface: { fzsj: '1900-01-01' } });
      expect(out.ok && (out.fields as unknown as { surface: { lsfzsj: unknown[] } }).surface.lsfzsj[0]).toBe(
        '1900-01-01',
      );
    }
    expect(one?.lsfzsj).toBe(
      '["1900-01-01T00:05:00.000+08:05","0001-01-01T08:05:00.000+08:05",null,"infinity"]',
    );
  });

  it('reads a value at the end of the Date range and one past it as the server text, alone or listed', async () => {
    const [, , three, four] = await rows();
    // The read writes instants in its zone (dialect.ts postgresRead): the last instant a Date holds
    // is 275760-09-13 08:00+08 in Beijing, of which node-postgres makes no Date, as of 290000-01-01.
    // The lone value and the element are the server's text, as infinity is, never an Invalid Date
    // (null in JSON, a date read as none); the date step refuses the text as no date of its formats.
    for (const [row, shown] of [
      [three, '275760-09-13 08:00:00+08'],
      [four, '290000-01-01 08:00:00+08'],
    ] as const) {
      expect(row?.fzsj).toBe(shown);
      expect(mapping.map({ FZSJ: row?.fzsj ?? null, LSFZSJ: null })).toMatchObject({ ok: false });
      expect(elements(row?.lsfzsj)).toEqual([shown]);
    }
  });
});
