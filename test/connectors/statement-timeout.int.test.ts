/**
 * A statement that outlives the source's `statementTimeoutMs` is cancelled by the server and read
 * as a statement timeout (LB_SOURCE_QUERY, retryable): named as such, not as a lost connection,
 * and not sent again at once. PostgreSQL (`statement_timeout`) and MariaDB (`max_statement_time`),
 * for real; SQL Server's is in mssql-statement-timeout. Each query pairs 10^10 rows, which no server
 * answers within the second given; a stream query may not sleep (select-only.ts).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SourceConfig } from '../../config/types.js';
import { openSource } from '../../connectors/open-source.js';
import type { StreamSpec } from '../../connectors/source.js';
import { ErrorCodes, isLicbridgeError } from '../../core/errors.js';
import { createLogger } from '../../core/logger.js';
import { readAll } from './conformance.js';
import {
  createMariadbDatabase,
  createPgDatabase,
  type FreshMariadb,
  type FreshPg,
  MARIADB,
  pgSourceConfig,
} from './servers.js';

const quiet = createLogger({ level: 'silent' });

let pgDb: FreshPg;
let maria: FreshMariadb;
beforeAll(async () => {
  [pgDb, maria] = await Promise.all([createPgDatabase(), createMariadbDatabase()]);
  await pgDb.client.query("CREATE TABLE t_xkz (bh varchar(10) PRIMARY KEY); INSERT INTO t_xkz VALUES ('A')");
  await maria.conn.query('CREATE TABLE T_XKZ (BH VARCHAR(10) PRIMARY KEY)');
  await maria.conn.query("INSERT INTO T_XKZ VALUES ('A')");
});
afterAll(async () => {
  await Promise.all([pgDb?.drop(), maria?.drop()]);
});

const cases: [string, () => SourceConfig, StreamSpec][] = [
  [
    'PostgreSQL',
    () => ({ ...pgSourceConfig(pgDb.database), statementTimeoutMs: 1000 }),
    {
      table: 'slow',
      key: 'bh',
      query:
        'SELECT bh, (SELECT count(*) FROM generate_series(1, 100000) a, generate_series(1, 100000) b WHERE a + b = 7) AS n FROM t_xkz',
    },
  ],
  [
    'MariaDB',
    () => ({
      kind: 'mysql',
      connection: { host: MARIADB.host, port: MARIADB.port, user: MARIADB.user, database: maria.database },
      trim: 'all',
      pageSize: 500,
      statementTimeoutMs: 1000,
    }),
    {
      table: 'slow',
      key: 'BH',
      query:
        'SELECT BH, (SELECT COUNT(*) FROM seq_1_to_100000 a, seq_1_to_100000 b WHERE a.seq + b.seq = 7) AS N FROM T_XKZ',
    },
  ],
];

describe('a statement outliving statementTimeoutMs', () => {
  for (const [engine, config, stream] of cases) {
    it(`${engine}: the read fails as a statement timeout`, async () => {
      const connector = await openSource('legacy', config(), { logger: quiet });
      let error: unknown;
      try {
        await readAll(connector, stream, 10);
      } catch (e) {
        error = e;
      } finally {
        await connector.close();
      }
      expect(isLicbridgeError(error)).toBe(true);
      if (!isLicbridgeError(error)) return;
      expect(error.code).toBe(ErrorCodes.SOURCE_QUERY);
      expect(error.retryable).toBe(true);
      expect(error.message).toMatch(/^source legacy: stream `slow`: statement timeout: /);
    }, 30_000);
  }
});
