/**
 * A PostgreSQL `interval` column (a licence's validity period, 有效期限, kept as an interval).
 * node-postgres parses it into an object of its parts, which licbridge handed over as that
 * object's JSON: `5 years` reached the mappings as `{"years":5}`, `1 day 02:00` as
 * `{"days":1,"hours":2}`, text no mapping or platform reads as a period. An interval is now its
 * ISO 8601 text (`P5Y`, `P1DT2H`), in table and query streams alike, whatever IntervalStyle the
 * database sets.
 */
import { describe, expect, it } from 'vitest';
import { readAll } from './conformance.js';
import { freshPgSource } from './pg-fresh-source.js';

const PERIODS: [string, string][] = [
  ['5 years', 'P5Y'],
  ['1 year 2 mons 3 days 04:05:06.5', 'P1Y2M3DT4H5M6.5S'],
  ['-1 days', 'P-1D'],
  ['00:00', 'PT0S'],
];

describe('PostgreSQL interval values', () => {
  const db = freshPgSource(async (fresh) => {
    // A style of the database's own, as a DBA may set it.
    await fresh.client.query(`ALTER DATABASE ${fresh.database} SET IntervalStyle = 'sql_standard'`);
    await fresh.client.query('CREATE TABLE t_yxq (id int PRIMARY KEY, yxq interval)');
    for (const [i, [written]] of PERIODS.entries())
      await fresh.client.query('INSERT INTO t_yxq VALUES ($1, CAST($2 AS interval))', [i + 1, written]);
    await fresh.client.query('INSERT INTO t_yxq VALUES (99, NULL)');
  });

  const expected = [...PERIODS.map(([, iso]) => iso), null];

  it('a table stream hands over each interval as its ISO 8601 text', async () => {
    const pages = await readAll(db.source, { table: 't_yxq', key: 'id' }, 100);
    expect(pages.flatMap((p) => p.rows.map((r) => r.values.yxq ?? null))).toEqual(expected);
  });

  it('a query stream hands over the same text', async () => {
    const stream = { table: 'q_yxq', key: 'id', query: 'SELECT id, yxq FROM t_yxq' };
    const pages = await readAll(db.source, stream, 100);
    const rows = pages.flatMap((p) => p.rows.map((r) => r.values));
    rows.sort((a, b) => Number(a.id) - Number(b.id));
    expect(rows.map((r) => r.yxq ?? null)).toEqual(expected);
  });
});
