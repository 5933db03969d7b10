/**
 * A PostgreSQL source behind a network that drops packets: no reset, no error, the page query's
 * answer never comes, and the server's `statement_timeout` cannot answer either. node-postgres
 * waited as long as TCP does (hours), so an extract job hung in a live worker, and a run counting
 * it worked (pipelines/idle-rule.ts) waited with it. Each statement now has `statementTimeoutMs`
 * and a margin to answer (core/pg-query-bound.ts): past it the read fails, retryable, naming the
 * setting, and the connection is dropped.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSource } from '../../connectors/open-source.js';
import { isLicbridgeError } from '../../core/errors.js';
import { createLogger } from '../../core/logger.js';
import { outcomeWithin, type SilentProxy, silentProxy } from '../support/silent-proxy.js';
import { readAll } from './conformance.js';
import { createPgDatabase, type FreshPg, PG } from './servers.js';

const quiet = createLogger({ level: 'silent' });
/**
 * Past the few statements a read makes before it gives up, each 6 s at most (statementTimeoutMs,
 * 1 s, and the client's 5 s margin); short of what a hung read waits.
 */
const HUNG_MS = 40_000;

let pgDb: FreshPg;
let proxy: SilentProxy;
beforeAll(async () => {
  pgDb = await createPgDatabase();
  await pgDb.client.query(
    "CREATE TABLE t_silent (bh varchar(10) PRIMARY KEY); INSERT INTO t_silent VALUES ('A')",
  );
  // A connection goes silent once it sends the page query (it names the table).
  proxy = await silentProxy(PG.port, /t_silent/);
});
afterAll(async () => {
  await proxy?.close();
  await pgDb?.drop();
});

describe('a PostgreSQL source whose network goes silent', () => {
  it('fails the read, retryable, after statementTimeoutMs and a margin', async () => {
    const connector = await openSource(
      'legacy',
      {
        kind: 'postgres',
        connection: { host: '127.0.0.1', port: proxy.port, user: PG.user, database: pgDb.database },
        trim: 'all',
        pageSize: 500,
        statementTimeoutMs: 1000,
      },
      { logger: quiet },
    );
    try {
      const outcome = await outcomeWithin(
        HUNG_MS,
        readAll(connector, { table: 'silent', key: 'bh', query: 'SELECT bh FROM t_silent' }, 10),
      );
      expect(outcome).not.toBe('hung');
      expect(isLicbridgeError(outcome) && outcome.retryable).toBe(true);
      expect(String(outcome)).toContain(
        'the database did not answer within 6000 ms (sources.legacy.statementTimeoutMs); the connection is dropped',
      );
      expect(proxy.silenced).toBeGreaterThan(0);
    } finally {
      await outcomeWithin(HUNG_MS, connector.close());
    }
  }, 100_000);
});
