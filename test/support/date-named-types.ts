/**
 * Tables with a column whose type's name holds `date` or `time` without being a date/time type, for
 * the calling `describe` block's (or file's) tests: a PostgreSQL enum type `update_stage` (up-DATE)
 * beside timestamp and date columns (table `t_xk`), and a MariaDB ENUM and SET whose members the
 * catalog writes into the type (table `T_ZT`). Each is read by a source named `legacy`, opened before
 * the tests and closed, with its fresh database dropped, after them. Read `source` inside tests.
 */
import { afterAll, beforeAll } from 'vitest';
import { openSource } from '../../connectors/open-source.js';
import type { SourceConnector } from '../../connectors/source.js';
import { createLogger } from '../../core/logger.js';
import { type MariadbSource, mariadbSource } from '../connectors/legacy-sources.js';
import { pgFamilyConfig } from '../connectors/pg-family-fixture.js';
import { createPgDatabase, type FreshPg } from '../connectors/servers.js';

const quiet = createLogger({ level: 'silent' });

/** Table `t_xk`: `jd` of enum type `update_stage`; `gxsj`, `fzrq` and `bgrq` timestamp, date, timestamptz. */
export function pgDateNamedEnumSource(): { readonly source: SourceConnector } {
  let fresh: FreshPg | undefined;
  let source: SourceConnector | undefined;
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
  return {
    get source() {
      if (source === undefined)
        throw new Error('pgDateNamedEnumSource: read inside a test, once beforeAll has run');
      return source;
    },
  };
}

/** Table `T_ZT`: `ZT` an ENUM and `BB` a SET; `LAST_EDIT`, `FZ` and `XG` DATETIME, DATE, TIMESTAMP. */
export function mariadbDateNamedEnumSource(): MariadbSource {
  return mariadbSource(async (conn) => {
    await conn.query(
      "CREATE TABLE T_ZT (ID INT PRIMARY KEY, ZT ENUM('new','updated','closed') NOT NULL, BB SET('dated','timed') NULL, LAST_EDIT DATETIME(6) NOT NULL, FZ DATE NOT NULL, XG TIMESTAMP NULL)",
    );
  });
}
