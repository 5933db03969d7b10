/**
 * A cursor stream whose key column is not unique and leads no index (key-cursors.ts
 * `keyCursorsUnchecked`): a page holding keys stored with trailing spaces asked the source for
 * them trimmed (padded-keys.ts), an equality no index serves — a scan of the whole table for each
 * such page, quadratic work on the department's server over millions of rows where every key is
 * padded (VARCHAR columns converted from CHAR keep their padding). The rows of its keys' other
 * cursors are not asked for either, and the stream is named once for an index (`unindexedKeyNote`);
 * the padded spellings are now left alone with them. With an index on the key they are asked for.
 */
import knex, { type Knex } from 'knex';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postgresDialect } from '../../connectors/sql/dialects/postgres/dialect.js';
import type { ResolvedStream } from '../../connectors/sql/keyset.js';
import { withPaddedSpellings } from '../../connectors/sql/padded-keys.js';
import { describeOrFail } from '../../connectors/sql/resolve-stream.js';
import { createPgDatabase, type FreshPg, PG } from './servers.js';

let fresh: FreshPg;
let db: Knex;
// The statements sent, as knex reports them.
const sent: string[] = [];
beforeAll(async () => {
  fresh = await createPgDatabase();
  for (const table of ['t_plain', 't_indexed']) {
    await fresh.client.query(`CREATE TABLE ${table} (bh varchar(10) NOT NULL, gxsj timestamp(6) NOT NULL)`);
    await fresh.client.query(
      `INSERT INTO ${table} VALUES ('K1', '2024-03-01 08:00:01'), ('K2', '2024-03-01 08:00:02'),
         ('K1 ', '2024-03-01 08:00:03')`,
    );
  }
  await fresh.client.query('CREATE INDEX ON t_indexed (bh)');
  db = knex(
    await postgresDialect.knexConfig('padded', {
      kind: 'postgres',
      connection: { host: PG.host, port: PG.port, user: PG.user, database: fresh.database },
      trim: 'all',
      pageSize: 500,
    }),
  );
  db.on('query', (q: { sql: string }) => sent.push(q.sql));
});
afterAll(async () => {
  await db?.destroy();
  await fresh?.drop();
});

async function streamOf(table: string): Promise<ResolvedStream> {
  const { columns } = await describeOrFail(db, postgresDialect, 'padded', table);
  const column = (n: string) => columns.find((c) => c.name === n) as (typeof columns)[number];
  return { table, columns, key: column('bh'), cursor: column('gxsj') };
}

const none = () => ({ newest: new Map<string, string | null>(), spellings: new Set<string>() });

describe('padded keys of a cursor stream whose key column leads no index', () => {
  it('are not looked up trimmed: no scan of the whole table for each page', async () => {
    const s = await streamOf('t_plain');
    expect(s.key.leadsIndex).toBe(false);
    sent.length = 0;
    const held = await withPaddedSpellings(db, postgresDialect, s, [{ bh: 'K1 ' }], none(), true);
    expect(sent).toEqual([]);
    expect([...held.spellings]).toEqual([]);
  });

  it('with an index on the key, are looked up by it', async () => {
    const s = await streamOf('t_indexed');
    expect(s.key.leadsIndex).toBe(true);
    sent.length = 0;
    const held = await withPaddedSpellings(db, postgresDialect, s, [{ bh: 'K1 ' }], none(), true);
    expect(sent).toHaveLength(1);
    expect([...held.spellings]).toEqual(['K1']);
  });
});
