/**
 * PostgreSQL 18 adds a NOT NULL as NOT VALID (ALTER TABLE … ADD CONSTRAINT … NOT NULL col NOT
 * VALID): new rows are held to it, the rows written before may still hold NULLs, and
 * pg_attribute.attnotnull is true all the same — only its pg_constraint row (contype 'n') says it
 * is not validated. A cursor the catalog declares NOT NULL is read without the NULL-cursor query
 * (6767c165), so those rows were never read.
 *
 * The test server is PostgreSQL 15, which has no such constraint: its catalog as PostgreSQL 18
 * shows one is made present as the kingbase test makes KingbaseES's (kingbase.int.test.ts):
 * `sys_*` views over `pg_*`, read through the kingbase dialect, whose catalog query is
 * PostgreSQL's under the `sys_` names. The column holds NULLs; the views add the not-validated
 * NOT NULL, attnotnull true and its constraint row.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSource } from '../../connectors/open-source.js';
import type { SourceConnector } from '../../connectors/source.js';
import { createLogger } from '../../core/logger.js';
import { keysOf, readAll } from './conformance.js';
import { createPgNullCursorTable, pgFamilyConfig } from './pg-family-fixture.js';
import type { FreshPg } from './servers.js';

const quiet = createLogger({ level: 'silent' });
/** The column a NOT NULL NOT VALID was added to, as PostgreSQL 18's catalog shows it. */
const INVALID = `attrelid = 'legacy_t'::regclass AND attname = 'gxsj'`;

describe('a cursor under a NOT NULL added NOT VALID (PostgreSQL 18) over rows without one', () => {
  let fresh: FreshPg;
  let source: SourceConnector;
  beforeAll(async () => {
    fresh = await createPgNullCursorTable();
    const c = fresh.client;
    await c.query('CREATE SCHEMA sys_catalog');
    for (const t of ['class', 'namespace', 'index', 'am', 'type']) {
      await c.query(`CREATE VIEW sys_catalog.sys_${t} AS SELECT * FROM pg_catalog.pg_${t}`);
    }
    await c.query(
      `CREATE VIEW sys_catalog.sys_attribute AS
         SELECT attrelid, attname, atttypid, atttypmod, attnotnull OR (${INVALID}) AS attnotnull, attnum, attisdropped
           FROM pg_catalog.pg_attribute`,
    );
    await c.query(
      `CREATE VIEW sys_catalog.sys_constraint AS
         SELECT conrelid, contype, convalidated, conkey FROM pg_catalog.pg_constraint
         UNION ALL
         SELECT attrelid, 'n'::"char", false, ARRAY[attnum] FROM pg_catalog.pg_attribute WHERE ${INVALID}`,
    );
    await c.query(`ALTER DATABASE ${fresh.database} SET search_path = "$user", public, sys_catalog`);
    source = await openSource('legacy', pgFamilyConfig('kingbase', fresh.database), { logger: quiet });
  });
  afterAll(async () => {
    await source?.close();
    await fresh?.drop();
  });

  it('reads the rows whose cursor is NULL, then the others', async () => {
    const pages = await readAll(source, { table: 'legacy_t', key: 'id', cursor: 'gxsj' }, 2);
    expect(keysOf(pages)).toEqual(['1', '3', '2', '4']);
  });
});
