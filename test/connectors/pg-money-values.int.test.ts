/**
 * A PostgreSQL `money` column (a licence fee, 收费金额). node-postgres has no parser for it and hands
 * over the server's display text, formatted by the database's `lc_monetary`: the fee 1234.50 reached
 * the mappings as `$1,234.50` (`￥1,234.50` on a server set up in Chinese, `1.234,50 €` in German),
 * which no `number` reads, and which changed when the database's locale did. A money value is
 * handed over as its exact amount, as a NUMERIC's is (`1234.50`, an integer as a number), in table
 * and query streams alike, whatever the database's `lc_monetary`; a money cursor still reads every
 * row once.
 */
import { describe, expect, it } from 'vitest';
import { readAll } from './conformance.js';
import { freshPgSource } from './pg-fresh-source.js';

// Amounts as written, and as they are to be handed over: the largest and smallest money too.
const AMOUNTS: [string, string | number][] = [
  ['1234.50', '1234.50'],
  ['-1234.5', '-1234.50'],
  ['0.01', '0.01'],
  ['200', '200.00'],
  ['92233720368547758.07', '92233720368547758.07'],
  ['-92233720368547758.08', '-92233720368547758.08'],
];

describe('PostgreSQL money values', () => {
  const db = freshPgSource(async (fresh) => {
    // The database's own lc_monetary, as a DBA sets it; C.UTF-8 is the one locale every server has.
    await fresh.client.query(`ALTER DATABASE ${fresh.database} SET lc_monetary = 'C.UTF-8'`);
    await fresh.client.query('CREATE TABLE t_sf (id int PRIMARY KEY, sfje money, bz text)');
    for (const [i, [written]] of AMOUNTS.entries())
      await fresh.client.query('INSERT INTO t_sf VALUES ($1, CAST($2 AS numeric)::money, $3)', [
        i + 1,
        written,
        'x',
      ]);
    await fresh.client.query('INSERT INTO t_sf VALUES (99, NULL, NULL)');
  });

  const expected = [...AMOUNTS.map(([, amount]) => amount), null];

  it('a table stream hands over each amount exactly, not the locale display text', async () => {
    const pages = await readAll(db.source, { table: 't_sf', key: 'id' }, 100);
    expect(pages.flatMap((p) => p.rows.map((r) => r.values.sfje ?? null))).toEqual(expected);
  });

  it('a query stream hands over the same amounts', async () => {
    const stream = { table: 'q_sf', key: 'id', query: 'SELECT id, sfje FROM t_sf' };
    const pages = await readAll(db.source, stream, 100);
    const byId = new Map(pages.flatMap((p) => p.rows.map((r) => [r.values.id, r.values.sfje ?? null])));
    expect([...byId.keys()].length).toBe(expected.length);
    expect([...byId.values()].sort()).toEqual([...expected].sort());
  });

  it('a money[] column hands over its elements as the same amounts', async () => {
    const stream = {
      table: 'q_sf_list',
      key: 'id',
      query:
        "SELECT 1 AS id, ARRAY[CAST('1234.5' AS numeric)::money, NULL, CAST('-0.01' AS numeric)::money] AS sfje",
    };
    const pages = await readAll(db.source, stream, 100);
    expect(pages.flatMap((p) => p.rows.map((r) => r.values.sfje))).toEqual(['["1234.50",null,"-0.01"]']);
  });

  it('a money cursor reads every row once, page after page', async () => {
    const pages = await readAll(db.source, { table: 't_sf', key: 'id', cursor: 'sfje' }, 2);
    const ids = pages.flatMap((p) => p.rows.map((r) => r.values.id));
    expect([...ids].sort((a, b) => Number(a) - Number(b))).toEqual([1, 2, 3, 4, 5, 6, 99]);
  });
});
