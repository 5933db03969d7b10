/**
 * A PostgreSQL statement out of time that knex cannot cancel: the cancel needs a new connection,
 * and a server that takes it and never answers (a firewall holding new connections, a server at
 * its limit) lets it fail by the connect timeout. knex then fails the statement with its own text
 * (`After query timeout of … exceeded, cancelling of query failed.`) on the cancel's error, which
 * carries no code: the send or poll read `… failed`, nothing in brackets, audited `other` as a row
 * refused for its values is. It is the statement's deadline passed, and now reads and is audited so.
 * (A send in a transaction is given up first: its rollback waits on the statement still running.)
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FrontDbTarget } from '../../adapters/platforms/front-db/front-db-target.js';
import { tcpProxy } from '../support/tcp-proxy.js';
import { frontDbConfig, sentWhileAnswering } from './front-db-fixtures.js';
import { scratchPostgres } from './front-db-servers.js';
import { deliveryItem } from './license-fixture.js';

const TABLE = 'UP_LIC_DATA';
/** Short, so the cancel's connect timeout (the same `timeoutMs`) ends before the step is given up (2 s after). */
const TIMEOUT_MS = 500;

/** A target on `db` through a new proxy, one row sent; then the table is locked and new connections held. */
interface Scene {
  target: FrontDbTarget;
  end(): Promise<void>;
}

async function scene(db: string, connection: Record<string, string | number>): Promise<Scene> {
  const proxy = await tcpProxy(Number(connection.port));
  const target = new FrontDbTarget(
    'city',
    frontDbConfig('postgres', { connection: { ...connection, port: proxy.port } }, TABLE, {
      createTable: true,
      timeoutMs: TIMEOUT_MS,
      exchangeStatus: { accepted: ['1'], rejected: ['9'] },
    }),
  );
  await target.refuseUnfitTable();
  const [first] = await sentWhileAnswering(target, [deliveryItem(1, { target: 'city' })]);
  expect(first?.state).toBe('submitted');
  // The exchange system's session holds the table: the target's next statement waits past its time.
  const locker = new pg.Client({ host: '127.0.0.1', port: 5432, user: 'postgres', database: db });
  await locker.connect();
  await locker.query('begin');
  await locker.query(`lock table "${TABLE}" in access exclusive mode`);
  // The connection the target holds still answers; the one knex opens to cancel never does.
  proxy.newConnections('hold');
  return {
    target,
    async end() {
      await locker.query('rollback').catch(() => undefined);
      await locker.end().catch(() => undefined);
      await target.close();
      await proxy.close();
    },
  };
}

describe('front-db target on PostgreSQL: a statement out of time whose cancel cannot connect', () => {
  const db = `lb_front_cancel_${randomBytes(4).toString('hex')}`;
  let connection: Record<string, string | number>;

  beforeAll(async () => {
    connection = await scratchPostgres.create(db);
  });
  afterAll(async () => {
    await scratchPostgres.drop(db);
  });

  it('a poll fails as its deadline passed: timed out after timeoutMs, audited timeout', async () => {
    const { target, end } = await scene(db, connection);
    try {
      const key = deliveryItem(1, { target: 'city' }).key;
      const [polled] = (await target.poll?.([{ key, platformId: null, receipt: null }])) ?? [];
      // Before: `reading exchange table UP_LIC_DATA failed`, audited `other`.
      expect(polled).toMatchObject({
        key,
        state: 'failed',
        retryable: true,
        unverified: true,
        reasons: [`target city: reading exchange table ${TABLE} failed (timed out after ${TIMEOUT_MS} ms)`],
        failure: 'timeout',
      });
    } finally {
      await end();
    }
  }, 60_000);
});
