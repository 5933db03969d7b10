/**
 * The conformance fixture of the PostgreSQL-protocol kinds (postgres, kingbase): a fresh table with
 * quoted upper-case names, as a legacy schema migrated from SQL Server or Oracle keeps them, in a
 * fresh database of the test PostgreSQL server.
 */
import { randomUUID } from 'node:crypto';
import type { SourceConfig } from '../../config/types.js';
import { openSource } from '../../connectors/open-source.js';
import { createLogger } from '../../core/logger.js';
import type { ConformanceFactory } from './conformance.js';
import { createPgDatabase, type FreshPg, PG } from './servers.js';

const quiet = createLogger({ level: 'silent' });

export function pgFamilyConfig(
  kind: 'postgres' | 'kingbase',
  database: string,
  overrides: Partial<SourceConfig> = {},
): SourceConfig {
  return {
    kind,
    connection: { host: PG.host, port: PG.port, user: PG.user, database },
    trim: 'all',
    pageSize: 500,
    ...overrides,
  };
}

export function pgFamilyConformance(kind: 'postgres' | 'kingbase', fresh: () => FreshPg): ConformanceFactory {
  return async () => {
    const db = fresh();
    const table = `T_CONF_${randomUUID().replaceAll('-', '').slice(0, 8).toUpperCase()}`;
    await db.client.query(
      `CREATE TABLE "${table}" ("ID" integer PRIMARY KEY, "GXSJ" timestamp(6), "MC" char(10))`,
    );
    // The conformance tables have no index on their cursor; the warning that says so is not under test here.
    const connector = await openSource('conformance', pgFamilyConfig(kind, db.database), { logger: quiet });
    return {
      connector,
      stream: { table, key: 'ID', cursor: 'GXSJ' },
      nameColumn: 'MC',
      async insert(rows) {
        for (const r of rows) {
          await db.client.query(`INSERT INTO "${table}" VALUES ($1, $2, $3)`, [r.id, r.cursor, r.name]);
        }
      },
      async update(id, change) {
        await db.client.query(
          `UPDATE "${table}" SET "GXSJ" = $1, "MC" = coalesce($2, "MC") WHERE "ID" = $3`,
          [change.cursor, change.name ?? null, id],
        );
      },
      async dispose() {
        await connector.close();
        await db.client.query(`DROP TABLE "${table}"`);
      },
      dropConnections: () => db.terminateOthers(),
      async badCredentials() {
        const user = 'lb_no_such_login';
        const password = 'S3cret-not-to-print';
        const bad = await openSource(
          'bad-login',
          pgFamilyConfig(kind, db.database, {
            connection: { host: PG.host, port: PG.port, user, password, database: db.database },
          }),
        );
        return { connector: bad, user, password };
      },
    };
  };
}

/**
 * A fresh database with `legacy_t (id int PRIMARY KEY, gxsj timestamp)`, keys 1 to 4, whose cursor
 * is NULL on 1 and 3: read in (cursor, key) order with NULLs first, the keys come as 1, 3, 2, 4.
 */
export async function createPgNullCursorTable(): Promise<FreshPg> {
  const fresh = await createPgDatabase();
  await fresh.client.query('CREATE TABLE legacy_t (id int PRIMARY KEY, gxsj timestamp)');
  await fresh.client.query(
    `INSERT INTO legacy_t VALUES (1, NULL), (2, '2024-03-01 08:00'), (3, NULL), (4, '2024-03-01 09:00')`,
  );
  return fresh;
}
