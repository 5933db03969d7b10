/**
 * A cursor was taken for a date/time — bounded by the database's clock, given a lag window, named
 * in the lag warning — when its type's name held `date` or `time` anywhere: a PostgreSQL enum type
 * `update_stage` (up-DATE), a MySQL `enum('new','updated','closed')`, whose members the catalog
 * writes into the type. On real PostgreSQL every page then failed (`operator does not exist:
 * update_stage <= timestamp without time zone`); on MariaDB, where such a comparison holds for any
 * value, the stream was named in the lag warning and took a lagMs, which the same enum without
 * `date` in it is refused. Each dialect now names its own date and time types, and nothing else is
 * one; a real date/time cursor is still bounded and warned about.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSource } from '../../connectors/open-source.js';
import type { SourceConnector, StreamSpec } from '../../connectors/source.js';
import { createLogger } from '../../core/logger.js';
import { keysOf, readAll } from './conformance.js';
import { mariadbSource } from './legacy-sources.js';
import { pgFamilyConfig } from './pg-family-fixture.js';
import { createPgDatabase, type FreshPg } from './servers.js';

const quiet = createLogger({ level: 'silent' });

describe('postgres: a cursor whose type is named with `date` but holds none', () => {
  let fresh: FreshPg;
  let source: SourceConnector;
  let lagged: SourceConnector;
  beforeAll(async () => {
    fresh = await createPgDatabase();
    await fresh.client.query(
      `CREATE TYPE update_stage AS ENUM ('new', 'checked', 'issued');
       CREATE TABLE t_xk (id int PRIMARY KEY, jd update_stage NOT NULL, gxsj timestamp(6) NOT NULL);
       INSERT INTO t_xk VALUES (1, 'issued', '2024-01-02 03:04:05'), (2, 'new', '2024-01-02 03:04:06'),
                               (3, 'checked', '2024-01-02 03:04:07')`,
    );
    source = await openSource('legacy', pgFamilyConfig('postgres', fresh.database), { logger: quiet });
    lagged = await openSource('legacy', pgFamilyConfig('postgres', fresh.database, { lagMs: 5000 }), {
      logger: quiet,
    });
  });
  afterAll(async () => {
    await source?.close();
    await lagged?.close();
    await fresh?.drop();
  });

  const stream: StreamSpec = { table: 't_xk', key: 'id', cursor: 'jd' };

  it('reads every row in the enum order, and names no lag window', async () => {
    expect(keysOf(await readAll(source, stream, 2))).toEqual(['2', '3', '1']);
    expect(await source.lagWindowWarning?.(stream)).toBeNull();
  });

  it('refuses a lagMs on it as on any cursor that is no date/time', async () => {
    await expect(readAll(lagged, stream, 2)).rejects.toMatchObject({
      code: 'LB_USAGE',
      message: expect.stringContaining(
        'lagMs needs a date/time cursor: cursor `jd` of `t_xk` is `update_stage`',
      ),
    });
  });

  it('still bounds a timestamp cursor by the clock and names it in the warning', async () => {
    const timed: StreamSpec = { table: 't_xk', key: 'id', cursor: 'gxsj' };
    expect(keysOf(await readAll(lagged, timed, 2))).toEqual(['1', '2', '3']);
    expect((await source.lagWindowWarning?.(timed))?.message).toMatch(/date\/time cursor `gxsj`/);
  });
});

const legacy = mariadbSource(async (conn) => {
  await conn.query(
    "CREATE TABLE T_ZT (ID INT PRIMARY KEY, ZT ENUM('new','updated','closed') NOT NULL, GXSJ DATETIME(6) NOT NULL)",
  );
  await conn.query(
    "INSERT INTO T_ZT VALUES (1, 'closed', '2024-01-02 03:04:05'), (2, 'new', '2024-01-02 03:04:06'), (3, 'updated', '2024-01-02 03:04:07')",
  );
});

describe('mariadb: an ENUM cursor one of whose members holds `date`', () => {
  const stream: StreamSpec = { table: 'T_ZT', key: 'ID', cursor: 'ZT' };

  it('is named in no lag warning', async () => {
    expect(keysOf(await readAll(legacy.source, stream, 2))).toEqual(['2', '3', '1']);
    expect(await legacy.source.lagWindowWarning?.(stream)).toBeNull();
  });

  it('refuses a lagMs on it', async () => {
    await expect(readAll(legacy.source, { ...stream, lagMs: 5000 }, 2)).rejects.toMatchObject({
      code: 'LB_USAGE',
      message: expect.stringContaining('lagMs needs a date/time cursor: cursor `ZT` of `T_ZT`'),
    });
  });

  it('still names a DATETIME cursor in the warning and bounds it under a lag window', async () => {
    const timed: StreamSpec = { table: 'T_ZT', key: 'ID', cursor: 'GXSJ' };
    expect((await legacy.source.lagWindowWarning?.(timed))?.message).toMatch(/date\/time cursor `GXSJ`/);
    expect(keysOf(await readAll(legacy.source, { ...timed, lagMs: 5000 }, 2))).toEqual(['1', '2', '3']);
  });
});
