/**
 * The newest cursor of a repeated key (key-cursors.ts `keyGroups`) on real PostgreSQL, for cursor
 * types a page orders by but PostgreSQL has no MAX for: `uuid` (a UUIDv7 version column) and
 * `bytea` (a change stamp copied from a SQL Server rowversion). Asked with MAX, every page of such
 * a stream failed (function max(uuid) does not exist). The newest is the key's last row in a
 * page's own order, with the text a page gives its cursor.
 */
import knex, { type Knex } from 'knex';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postgresDialect } from '../../connectors/sql/dialects/postgres/dialect.js';
import { cursorTextOf, newestOfKeys } from '../../connectors/sql/key-cursors.js';
import { orderColumn, type ResolvedStream, selectRows } from '../../connectors/sql/keyset.js';
import { describeOrFail } from '../../connectors/sql/resolve-stream.js';
import { createPgDatabase, type FreshPg, PG } from './servers.js';

/** [key, cursor literal]: K on four rows, one with a NULL cursor; S on one. */
const FIXTURES = {
  uuid: [
    ['K', "'018f0000-0000-7000-8000-000000000002'"],
    ['K', "'018f0000-0000-7000-8000-00000000000a'"],
    ['K', 'NULL'],
    ['K', "'018f0000-0000-7000-8000-000000000001'"],
    ['S', "'018f0000-0000-7000-8000-0000000000ff'"],
  ],
  bytea: [
    ['K', "'\\x00000000000007d2'"],
    ['K', "'\\x0000000000000fa1'"],
    ['K', 'NULL'],
    ['K', "'\\x00000000000007d3'"],
    ['S', "'\\xffffffffffffffff'"],
  ],
} as const;

let fresh: FreshPg | undefined;
let db: Knex | undefined;
beforeAll(async () => {
  fresh = await createPgDatabase();
  db = knex(
    await postgresDialect.knexConfig('held', {
      kind: 'postgres',
      connection: { host: PG.host, port: PG.port, user: PG.user, database: fresh.database },
      trim: 'all',
      pageSize: 500,
    }),
  );
});
afterAll(async () => {
  await db?.destroy();
  await fresh?.drop();
});

describe('the newest cursor of a repeated key, on PostgreSQL, for a cursor type without MAX', () => {
  for (const [type, rows] of Object.entries(FIXTURES)) {
    it(`${type}: the key's last row in page order, its cursor text as a page gives it`, async () => {
      const k = db as Knex;
      const table = `T_${type.toUpperCase()}`;
      await fresh?.client.query(`CREATE TABLE "${table}" ("K" VARCHAR(10) NOT NULL, "GXSJ" ${type})`);
      await fresh?.client.query(
        `INSERT INTO "${table}" ("K", "GXSJ") VALUES ${rows.map(([key, c]) => `('${key}', ${c})`).join(', ')}`,
      );
      await fresh?.client.query(`CREATE INDEX "IX_${table}_K" ON "${table}" ("K")`);
      const { columns } = await describeOrFail(k, postgresDialect, 'held', table);
      const column = (n: string) => columns.find((c) => c.name === n) as (typeof columns)[number];
      const s: ResolvedStream = { table, columns, key: column('K'), cursor: column('GXSJ') };
      const cursor = column('GXSJ');
      // As a page reads the key's rows: non-NULL cursors in the page's order, the last the newest.
      const paged: Record<string, unknown>[] = await selectRows(k, postgresDialect, s)
        .where('K', 'K')
        .whereNotNull('GXSJ')
        .orderBy(orderColumn(k, postgresDialect, s, cursor), 'asc');
      const last = cursorTextOf(postgresDialect, s, paged[paged.length - 1] as Record<string, unknown>);
      expect(last).not.toBeNull();
      const newest = await newestOfKeys(k, postgresDialect, s, ['K', 'S', 'Q']);
      expect(Object.fromEntries(newest)).toEqual({ K: last });
    });
  }
});
