/**
 * Discovery suggested as a cursor any column whose type's name held `date`, `time` or `rowversion`:
 * a PostgreSQL enum type `update_stage` (up-DATE), a MariaDB `enum('new','updated','closed')`,
 * whose members the catalog writes into the type. Such a cursor takes no lag window and no clock
 * bounds it (resolve-stream.ts `cursorLag`), and on PostgreSQL it orders by the enum's order, not
 * by when a row changed; suggested first, it went into the draft mapping's stream. Discovery now
 * asks the dialect which types are its date/time types (`dateTimeTypes`) and which are counters
 * (`settledBound`), as a run does; a column is still suggested by its name.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSource } from '../../connectors/open-source.js';
import type { SourceConnector } from '../../connectors/source.js';
import { createLogger } from '../../core/logger.js';
import { mariadbSource } from './legacy-sources.js';
import { pgFamilyConfig } from './pg-family-fixture.js';
import { createPgDatabase, type FreshPg } from './servers.js';

const quiet = createLogger({ level: 'silent' });

describe('postgres discovery: an enum type named with `date`', () => {
  let fresh: FreshPg;
  let source: SourceConnector;
  beforeAll(async () => {
    fresh = await createPgDatabase();
    await fresh.client.query(
      `CREATE TYPE update_stage AS ENUM ('new', 'checked', 'issued');
       CREATE TABLE t_xk (id int PRIMARY KEY, jd update_stage NOT NULL, gxsj timestamp(6) NOT NULL,
                          fzrq date NOT NULL, bgrq timestamptz NOT NULL)`,
    );
    source = await openSource('legacy', pgFamilyConfig('postgres', fresh.database), { logger: quiet });
  });
  afterAll(async () => {
    await source?.close();
    await fresh?.drop();
  });

  it('is not suggested as a cursor; the date and timestamp columns are', async () => {
    const [table] = await source.discover({ table: 't_xk' });
    expect(table?.candidateCursors).toEqual(['gxsj', 'fzrq', 'bgrq']);
  });
});

const legacy = mariadbSource(async (conn) => {
  await conn.query(
    "CREATE TABLE T_ZT (ID INT PRIMARY KEY, ZT ENUM('new','updated','closed') NOT NULL, BB SET('dated','timed') NULL, LAST_EDIT DATETIME(6) NOT NULL, FZ DATE NOT NULL, XG TIMESTAMP NULL)",
  );
});

describe('mariadb discovery: an ENUM or SET one of whose members holds `date` or `time`', () => {
  it('is not suggested as a cursor; the DATETIME, DATE and TIMESTAMP columns are', async () => {
    const [table] = await legacy.source.discover({ table: 'T_ZT' });
    expect(table?.candidateCursors).toEqual(['LAST_EDIT', 'XG', 'FZ']);
  });
});
