/**
 * A foreign table's NOT NULL is not enforced (CREATE FOREIGN TABLE: "the constraint is simply
 * assumed to hold true"): a legacy table reached through postgres_fdw, oracle_fdw or tds_fdw may
 * declare its update time NOT NULL over rows that hold none. A cursor the catalog declares NOT
 * NULL is read without the NULL-cursor query (6767c165), so those rows were never read, and
 * nothing said so. A foreign table's columns are read as nullable whatever they declare.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSource } from '../../connectors/open-source.js';
import type { SourceConnector } from '../../connectors/source.js';
import { createLogger } from '../../core/logger.js';
import { keysOf, readAll } from './conformance.js';
import { createPgNullCursorTable, pgFamilyConfig } from './pg-family-fixture.js';
import { type FreshPg, PG } from './servers.js';

const quiet = createLogger({ level: 'silent' });

describe('a foreign table whose cursor is declared NOT NULL over rows without one', () => {
  let fresh: FreshPg;
  let source: SourceConnector;
  beforeAll(async () => {
    fresh = await createPgNullCursorTable();
    const c = fresh.client;
    await c.query('CREATE EXTENSION postgres_fdw');
    await c.query(
      `CREATE SERVER loop FOREIGN DATA WRAPPER postgres_fdw OPTIONS (host '${PG.host}', port '${PG.port}', dbname '${fresh.database}')`,
    );
    await c.query(`CREATE USER MAPPING FOR CURRENT_USER SERVER loop OPTIONS (user '${PG.user}')`);
    await c.query(
      `CREATE FOREIGN TABLE t_ft (id int NOT NULL, gxsj timestamp NOT NULL) SERVER loop OPTIONS (table_name 'legacy_t')`,
    );
    source = await openSource('legacy', pgFamilyConfig('postgres', fresh.database), { logger: quiet });
  });
  afterAll(async () => {
    await source?.close();
    await fresh?.drop();
  });

  it('reads the rows whose cursor is NULL, then the others', async () => {
    const pages = await readAll(source, { table: 't_ft', key: 'id', cursor: 'gxsj' }, 2);
    expect(keysOf(pages)).toEqual(['1', '3', '2', '4']);
  });
});
