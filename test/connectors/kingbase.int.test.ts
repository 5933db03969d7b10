/**
 * KingbaseES cannot run on the test machines. It speaks PostgreSQL's protocol and SQL, so the
 * kingbase dialect is run here against the test PostgreSQL server — through the shared source
 * conformance suite — with KingbaseES's own catalog names made present: the fresh database gets a
 * `sys_catalog` schema whose `sys_class`, `sys_attribute`, `sys_namespace`, `sys_index`, `sys_am`,
 * `sys_constraint` and `sys_type` are views over PostgreSQL's `pg_*` tables (the same columns, KingbaseES's names), on
 * the search path after the user's schemas as KingbaseES keeps its own. What this cannot show is listed in
 * docs/connectors.md.
 */
import { Writable } from 'node:stream';
import knex from 'knex';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SourceConfig } from '../../config/types.js';
import { sourceKind } from '../../connectors/kinds.js';
import { openSource } from '../../connectors/open-source.js';
import { kingbaseDialect } from '../../connectors/sql/dialects/kingbase/dialect.js';
import { isLicbridgeError } from '../../core/errors.js';
import { createLogger } from '../../core/logger.js';
import { readAll, runConformance } from './conformance.js';
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
  type: 'oid, typtype, typbasetype, typtypmod, typelem, typcategory, typarray',
};

/** KingbaseES's catalog names in `db`, as views over `catalog`'s columns of PostgreSQL's tables. */
async function kingbaseCatalog(db: FreshPg, catalog: Record<string, string>): Promise<void> {
  await db.client.query('CREATE SCHEMA sys_catalog');
  for (const [t, columns] of Object.entries(catalog)) {
    await db.client.query(`CREATE VIEW sys_catalog.sys_${t} AS SELECT ${columns} FROM pg_catalog.pg_${t}`);
  }
  await db.client.query(`ALTER DATABASE ${db.database} SET search_path = "$user", public, sys_catalog`);
}

let fresh: FreshPg;
beforeAll(async () => {
  fresh = await createPgDatabase();
  await kingbaseCatalog(fresh, CATALOG);
});
afterAll(async () => {
  await fresh.drop();
});

/** A logger whose warnings the test reads back, each line's JSON. */
function capturedLogger() {
  let text = '';
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      text += chunk.toString('utf8');
      done();
    },
  });
  const logger = createLogger({ destination, level: 'warn' });
  const warnings = () =>
    text
      .split('\n')
      .filter((l) => l !== '')
      .map((l) => JSON.parse(l) as Record<string, unknown>)
      .filter((l) => l.level === 40);
  return { logger, warnings };
}

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

  it("reads an enum's array as a list, its type from sys_type", async () => {
    await fresh.client.query(`CREATE TYPE kb_zt AS ENUM ('有效', '注销')`);
    await fresh.client.query(`CREATE TABLE kb_ztl (id int PRIMARY KEY, ztl kb_zt[])`);
    await fresh.client.query(`INSERT INTO kb_ztl VALUES (1, '{有效,NULL,注销}')`);
    const logged = capturedLogger();
    const kb = await openSource('kb-zt', kbConfig(), { logger: logged.logger });
    try {
      const [page] = await readAll(kb, { table: 'kb_ztl', key: 'id' }, 10);
      expect(page?.rows[0]?.values.ztl).toBe('["有效",null,"注销"]');
      expect(logged.warnings()).toEqual([]);
    } finally {
      await kb.close();
    }
  });

  it("warns once per source, with its SQLSTATE, when sys_type cannot be read, and reads the array's text", async () => {
    const old = await createPgDatabase();
    try {
      // sys_type without the columns the array look-up reads (a KingbaseES that has no typarray).
      await kingbaseCatalog(old, { ...CATALOG, type: 'oid, typtype, typbasetype, typtypmod' });
      await old.client.query(`CREATE TYPE kb_zt AS ENUM ('有效', '注销')`);
      await old.client.query(`CREATE TABLE kb_ztl (id int PRIMARY KEY, ztl kb_zt[])`);
      await old.client.query(`INSERT INTO kb_ztl VALUES (1, '{有效,NULL}')`);
      const logged = capturedLogger();
      const kb = await openSource('kb-old', pgFamilyConfig('kingbase', old.database), {
        logger: logged.logger,
      });
      try {
        // Two reads at once, each held on the table's lock until both wait: the pool opens two
        // connections, and each looks the types up (without the lock one read could end before
        // the other asked, and the pool hands the same connection over twice).
        await old.client.query('BEGIN');
        await old.client.query('LOCK TABLE kb_ztl IN ACCESS EXCLUSIVE MODE');
        const pending = Promise.all([1, 2].map(() => readAll(kb, { table: 'kb_ztl', key: 'id' }, 10)));
        const waiting = async (): Promise<number> => {
          // Within the lock's transaction the activity view is read once unless cleared.
          await old.client.query('SELECT pg_stat_clear_snapshot()');
          const { rows } = await old.client.query<{ n: string }>(
            "SELECT count(*) AS n FROM pg_stat_activity WHERE application_name = 'licbridge:kb-old' AND wait_event_type = 'Lock'",
          );
          return Number(rows[0]?.n);
        };
        for (let tries = 0; (await waiting()) < 2 && tries < 600; tries++) {
          await new Promise((resolve) => setTimeout(resolve, 50));
        }
        const held = await waiting();
        await old.client.query('COMMIT');
        expect(held).toBe(2);
        const reads = await pending;
        for (const [page] of reads) expect(page?.rows[0]?.values.ztl).toBe('{有效,NULL}');
        const { rows } = await old.client.query<{ n: string }>(
          "SELECT count(*) AS n FROM pg_stat_activity WHERE application_name = 'licbridge:kb-old'",
        );
        expect(Number(rows[0]?.n)).toBe(2);
        const warnings = logged.warnings();
        expect(warnings).toHaveLength(1);
        expect(warnings[0]).toMatchObject({ level: 40, source: 'kb-old', sqlstate: '42703' });
        expect(String(warnings[0]?.msg)).toMatch(
          /^source kb-old: sys_type could not be read \(SQLSTATE 42703\)/,
        );
      } finally {
        await kb.close();
      }
    } finally {
      await old.drop();
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
