/**
 * A PostgreSQL query stream whose query returns a column name twice: `SELECT x.*, q.* FROM t_xkz x
 * JOIN t_qy q …` over two tables that both have `zt`. PostgreSQL returns both columns, and
 * node-postgres makes a row an object, whose one `zt` is the last column's: the license's status
 * `0` (revoked) went to the mappings as the joined table's `Q-8`, with no word. (MySQL, MariaDB and
 * SQL Server refuse such a derived table themselves; SQLite renames the second `zt:1`.) The stream
 * is refused before a row is read, naming the column, never a value.
 */
import { describe, expect, it } from 'vitest';
import type { SourceRow } from '../../connectors/source.js';
import { freshPgSource } from './pg-fresh-source.js';

const db = freshPgSource(async (fresh) => {
  await fresh.client.query(
    'CREATE TABLE t_xkz (id int PRIMARY KEY, zt text, gxsj timestamp); CREATE TABLE t_qy (xkz_id int, zt text, mc text)',
  );
  await fresh.client.query(
    "INSERT INTO t_xkz VALUES (1, '1', '2024-01-01'), (2, '0', '2024-01-02'); INSERT INTO t_qy VALUES (1, 'Q-9', '甲'), (2, 'Q-8', '乙')",
  );
});

const JOINED = 'SELECT x.*, q.* FROM t_xkz x JOIN t_qy q ON q.xkz_id = x.id';

async function rowsOf(stream: {
  table: string;
  key: string;
  cursor?: string;
  query: string;
}): Promise<SourceRow[]> {
  const rows: SourceRow[] = [];
  for await (const page of db.source.read({ stream, after: null, pageSize: 1 })) rows.push(...page.rows);
  return rows;
}

describe('postgres query stream returning a column name twice', () => {
  it.each([
    ['without a cursor', {}],
    ['with a cursor', { cursor: 'gxsj' }],
  ])('is refused %s before a row is read, naming the column', async (_, cursor) => {
    const read = rowsOf({ table: 'q_xkz', key: 'id', ...cursor, query: JOINED });
    await expect(read).rejects.toMatchObject({
      code: 'LB_SOURCE_SCHEMA',
      message: expect.stringMatching(/stream `q_xkz` returns column `zt` twice/),
    });
    await expect(read).rejects.not.toMatchObject({ message: expect.stringMatching(/Q-|甲/) });
  });

  it('is refused by the check of the stream', async () => {
    await expect(db.source.checkStream?.({ table: 'q_xkz', key: 'id', query: JOINED })).rejects.toMatchObject(
      {
        code: 'LB_SOURCE_SCHEMA',
        message: expect.stringMatching(/returns column `zt` twice/),
      },
    );
  });

  it('asks for an alias, not a column that is none, where two expressions return one name', async () => {
    // PostgreSQL names an expression without an alias after its function (`coalesce`) or `?column?`.
    for (const [query, column] of [
      ["SELECT id, COALESCE(zt, ''), COALESCE(gxsj::text, '') FROM t_xkz", 'coalesce'],
      ['SELECT id, 1, 2 FROM t_xkz', '?column?'],
    ] as const) {
      const read = rowsOf({ table: 'q_xkz', key: 'id', query });
      const refused = await read.then(
        () => undefined,
        (e: unknown) => e as Error,
      );
      expect(refused?.message).toContain(`returns column \`${column}\` twice`);
      expect(refused?.message).toContain('AS');
      expect(refused?.message).not.toContain(`b.${column}`);
    }
  });

  it("reads each license's own status once the query names each column once", async () => {
    const query = 'SELECT x.*, q.zt AS qy_zt, q.mc FROM t_xkz x JOIN t_qy q ON q.xkz_id = x.id';
    const rows = await rowsOf({ table: 'q_xkz', key: 'id', query });
    expect(rows.map((r) => [r.key, r.values.zt, r.values.qy_zt])).toEqual([
      ['1', '1', 'Q-9'],
      ['2', '0', 'Q-8'],
    ]);
  });
});
