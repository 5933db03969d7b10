/**
 * A MariaDB source behind a network that drops packets: no reset, no error, the page query's answer
 * never comes, and the server's `max_statement_time` cannot answer either. mysql2 waited as long as
 * TCP does (hours), so an extract job hung in a live worker. Each statement now has
 * `statementTimeoutMs` and a margin to answer (connectors/sql/dialects/mysql/query-bound.ts): past
 * it the read fails, retryable, naming the source and the setting, and the connection is dropped.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { openSource } from '../../connectors/open-source.js';
import { ErrorCodes, isLicbridgeError } from '../../core/errors.js';
import { createLogger } from '../../core/logger.js';
import { outcomeWithin, type SilentProxy, silentProxy } from '../support/silent-proxy.js';
import { readAll } from './conformance.js';
import { createMariadbDatabase, type FreshMariadb, MARIADB } from './servers.js';

// The margin for the server's own answer, 500 ms here (5 s as shipped), keeps the test short.
vi.mock('../../core/query-bound.js', async (original) => ({
  ...(await original<typeof import('../../core/query-bound.js')>()),
  SOURCE_ANSWER_MARGIN_MS: 500,
}));

const quiet = createLogger({ level: 'silent' });
/**
 * Past the few statements a read makes before it gives up (three attempts, each 1.5 s at most:
 * statementTimeoutMs, 1 s, and the margin), short of what a hung read waits.
 */
const HUNG_MS = 15_000;

let maria: FreshMariadb;
let proxy: SilentProxy;
beforeAll(async () => {
  maria = await createMariadbDatabase();
  await maria.conn.query('CREATE TABLE t_silent (bh varchar(10) PRIMARY KEY)');
  await maria.conn.query("INSERT INTO t_silent VALUES ('A')");
  // A connection goes silent once it sends a statement naming the table.
  proxy = await silentProxy(MARIADB.port, /t_silent/);
});
afterAll(async () => {
  await proxy?.close();
  await maria?.drop();
});

describe('a MariaDB source whose network goes silent', () => {
  it('fails the read, retryable, after statementTimeoutMs and a margin', async () => {
    const connector = await openSource(
      'legacy',
      {
        kind: 'mysql',
        connection: { host: '127.0.0.1', port: proxy.port, user: MARIADB.user, database: maria.database },
        trim: 'all',
        pageSize: 500,
        statementTimeoutMs: 1000,
      },
      { logger: quiet },
    );
    try {
      const started = Date.now();
      const outcome = await outcomeWithin(
        HUNG_MS,
        readAll(connector, { table: 'silent', key: 'bh', query: 'SELECT bh FROM t_silent' }, 10),
      );
      expect(outcome).not.toBe('hung');
      expect(isLicbridgeError(outcome) && outcome.retryable).toBe(true);
      expect(isLicbridgeError(outcome) && outcome.code).toBe(ErrorCodes.SOURCE_UNREACHABLE);
      expect(String(outcome)).toContain('source legacy: cannot reach the database');
      expect(String(outcome)).toContain(
        'the database did not answer within 1500 ms (sources.legacy.statementTimeoutMs); the connection is dropped',
      );
      // Each attempt waited its bound: the read was not refused early for another reason.
      expect(Date.now() - started).toBeGreaterThanOrEqual(1500);
      expect(proxy.silenced).toBeGreaterThan(0);
      // No connection is left waiting on the silent peer: the source closes at once.
      expect(await outcomeWithin(5_000, connector.close())).not.toBe('hung');
    } finally {
      await outcomeWithin(HUNG_MS, connector.close());
    }
  }, 60_000);
});
