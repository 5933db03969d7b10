/**
 * KingbaseES cannot run on the test machines. It speaks PostgreSQL's protocol and SQL, so the
 * kingbase dialect is run here against the test PostgreSQL server — through the shared source
 * conformance suite — with KingbaseES's own catalog names made present: the fresh database gets a
 * `sys_catalog` schema whose `sys_class`, `sys_attribute`, `sys_namespace`, `sys_index`, `sys_am`
 * and `sys_constraint` are views over PostgreSQL's `pg_*` tables (the same columns, KingbaseES's names), on
 * the search path after the user's schemas as KingbaseES keeps its own. What this cannot show is listed in
 * docs/connectors.md.
 */
import knex from 'knex';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SourceConfig } from '../../config/types.js';
import { sourceKind } from '../../connectors/kinds.js';
import { openSource } from '../../connectors/open-source.js';
import { kingbaseDialect } from '../../connectors/sql/dialects/kingbase/dialect.js';
import { isLicbridgeError } from '../../core/errors.js';
import { runConformance } from './conformance.js';
import { pgFamilyConfig, pgFamilyConformance } from './pg-family-fixture.js';
import { createPgDatabase, type FreshPg, PG } from './servers.js';

// The columns licbridge reads, as KingbaseES's sys_* tables have them (PostgreSQL's own).
const CATALOG: Record<string, string> = {
  class: 'oid, relname, relnamespace, relkind, relam',
  attribute: 'attrelid, attname, atttypid, atttypmod, attnotnull, attnum, attisdropped',
  namespace: 'oid, nspname',
  index: 'indrelid, indexrelid, indisprimary, indisunique, indisvalid, indnatts, indkey, indpred',
  am: 'oid, amname',
  constraint: 'conrelid, contype, convalidated, conkey',
  type: 'oid, typtype, typbasetype, typtypmod',
};

let fresh: FreshPg;
beforeAll(async () => {
  fresh = await createPgDatabase();
  await fresh.client.query('CREATE SCHEMA sys_catalog');
  for (const [t, columns] of Object.entries(CATALOG)) {
    await fresh.client.query(`CREATE VIEW sys_catalog.sys_${t} AS SELECT ${columns} FROM pg_catalog.pg_${t}`);
  }
  await fresh.client.query(`ALTER DATABASE ${fresh.database} SET search_path = "$user", public, sys_catalog`);
});
afterAll(async () => {
  await fresh.drop();
});

const kbConfig = (overrides: Partial<SourceConfig> = {}): SourceConfig =>
  pgFamilyConfig('kingbase', fresh.database, overrides);

runConformance(
  'kingbase (on PostgreSQL, with sys_* catalog views)',
  pgFamilyConformance('kingbase', () => fresh),
  {
    network: true,
  },
);

describe('kingbase specifics', () => {
  it('reads the catalog under its sys_* names, not pg_*', async () => {
    // Without the sys_catalog views (a plain PostgreSQL database) the kingbase dialect's catalog
    // query has nothing to read: proof that it asks for sys_attribute and friends.
    const plain = await createPgDatabase();
    try {
      await plain.client.query('CREATE TABLE "T_PLAIN" ("ID" integer PRIMARY KEY)');
      const kb = await openSource('plain', {
        ...kbConfig(),
        connection: { host: PG.host, port: PG.port, user: PG.user, database: plain.database },
      });
      const error = await kb
        .read({ stream: { table: 'T_PLAIN', key: 'ID' }, after: null, pageSize: 10 })
        [Symbol.asyncIterator]()
        .next()
        .catch((e: unknown) => e);
      await kb.close();
      expect(String((error as Error).cause ?? error)).toMatch(/sys_(attribute|class|index|namespace)/);
      // The same table through the postgres dialect reads fine.
      const pgSource = await openSource('plain-pg', {
        ...kbConfig(),
        kind: 'postgres',
        connection: { host: PG.host, port: PG.port, user: PG.user, database: plain.database },
      });
      const described = await pgSource.read({
        stream: { table: 'T_PLAIN', key: 'ID' },
        after: null,
        pageSize: 10,
      });
      for await (const page of described) expect(page.rows).toEqual([]);
      await pgSource.close();
    } finally {
      await plain.drop();
    }
  });

  it('says which columns lead a B-tree index, from sys_index, sys_class and sys_am', async () => {
    const table = 'T_KB_LEADS';
    await fresh.client.query(
      `CREATE TABLE "${table}" ("ID" integer PRIMARY KEY, "GXSJ" timestamp(6), "XGSJ" timestamp(6), "MC" text)`,
    );
    await fresh.client.query(`CREATE INDEX ON "${table}" ("GXSJ", "ID")`);
    await fresh.client.query(`CREATE INDEX ON "${table}" USING hash ("XGSJ")`);
    await fresh.client.query(`CREATE INDEX ON "${table}" ("MC") WHERE "MC" IS NOT NULL`);
    const db = knex(await kingbaseDialect.knexConfig('kb', kbConfig()));
    try {
      const columns = await kingbaseDialect.describeTable(db, { name: table });
      expect(Object.fromEntries(columns.map((c) => [c.name, c.leadsIndex]))).toEqual({
        ID: true,
        GXSJ: true,
        XGSJ: false,
        MC: false,
      });
    } finally {
      await db.destroy();
      await fresh.client.query(`DROP TABLE "${table}"`);
    }
  });

  it('connects to port 54321 when the config names no port', async () => {
    const config = await kingbaseDialect.knexConfig('kb', {
      ...kbConfig(),
      connection: { host: 'kb.example', user: 'system', database: 'test' },
    });
    expect((config.connection as { port: number }).port).toBe(54321);
    expect(sourceKind('kingbase')?.defaultPort).toBe(54321);
  });

  it('never guesses a database: a config without one is refused, naming the source', async () => {
    const error = await kingbaseDialect
      .knexConfig('kb-district', { ...kbConfig(), connection: { host: 'kb.example', user: 'system' } })
      .catch((e: unknown) => e);
    expect(isLicbridgeError(error) && error.code).toBe('LB_USAGE');
    expect((error as Error).message).toMatch(/source kb-district: .*connection\.database/);
  });
});
