/**
 * A send that never had a connection says so. knex's pool gives up on handing one out after
 * `timeoutMs` (none free, or none made in time: a server that takes the connection and never
 * answers, a driver's own connect timeout set longer), and that failure is a `KnexTimeoutError` as
 * a statement out of time is. Both read `… failed (timed out after N ms)`, naming the send's
 * deadline: a send whose statements never started looked like one held up by a lock or a slow
 * server, and the person reading it looked at the exchange table instead of the connections.
 */
import { randomBytes } from 'node:crypto';
import mysql from 'mysql2/promise';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FrontDbTarget } from '../../adapters/platforms/front-db/front-db-target.js';
import { LicbridgeError } from '../../core/errors.js';
import { type SilentProxy, silentProxy } from '../support/silent-proxy.js';
import { frontDbConfig } from './front-db-fixtures.js';
import { scratchMariaDb, scratchPostgres } from './front-db-servers.js';
import { deliveryItem } from './license-fixture.js';

const TIMEOUT_MS = 1_000;
const TABLE = 'UP_LIC_DATA';
const NO_CONNECTION = 'no connection to the front database was free or could be made in that time';

/** A session of the city's own holding the exchange table locked; the function returned releases it. */
type Lock = (db: string) => Promise<() => Promise<void>>;

const lockPg: Lock = async (db) => {
  const c = new pg.Client({ host: '127.0.0.1', port: 5432, user: 'postgres', database: db });
  await c.connect();
  await c.query('begin');
  await c.query(`lock table "${TABLE}" in access exclusive mode`);
  return async () => {
    await c.query('rollback');
    await c.end();
  };
};

const lockMariaDb: Lock = async (db) => {
  const c = await mysql.createConnection({ host: '127.0.0.1', port: 3306, user: 'root', database: db });
  await c.query(`lock tables \`${TABLE}\` write`);
  return async () => {
    await c.query('unlock tables');
    await c.end();
  };
};

// Each driver's own connect timeout is set longer than `timeoutMs`: the pool gives up first.
const SERVERS = [
  {
    name: 'PostgreSQL',
    client: 'postgres' as const,
    scratch: scratchPostgres,
    connect: 'connectionTimeoutMillis',
    lock: lockPg,
  },
  {
    name: 'MariaDB',
    client: 'mysql' as const,
    scratch: scratchMariaDb,
    connect: 'connectTimeout',
    lock: lockMariaDb,
  },
];

for (const server of SERVERS) {
  describe(`front-db target on ${server.name}: a send that had no connection`, () => {
    const db = `lb_front_noconn_${randomBytes(4).toString('hex')}`;
    let connection: Record<string, string | number>;
    let proxy: SilentProxy;
    const targets: FrontDbTarget[] = [];

    const target = (port: number | string): FrontDbTarget => {
      const t = new FrontDbTarget(
        'city',
        frontDbConfig(
          server.client,
          { connection: { ...connection, port, [server.connect]: 60_000 } },
          TABLE,
          { createTable: true, timeoutMs: TIMEOUT_MS },
        ),
      );
      targets.push(t);
      return t;
    };

    beforeAll(async () => {
      connection = await server.scratch.create(db);
      proxy = await silentProxy(Number(connection.port));
    });
    afterAll(async () => {
      for (const t of targets) await t.close();
      await proxy?.close();
      await server.scratch.drop(db);
    });

    it('is told as a connection not had, not as statements out of time', async () => {
      proxy.silence();
      const sent = await target(proxy.port)
        .deliver([deliveryItem(1, { target: 'city' })])
        .catch((e: unknown) => e);
      expect(sent).toBeInstanceOf(LicbridgeError);
      expect((sent as LicbridgeError).retryable).toBe(true);
      expect((sent as LicbridgeError).message).toBe(
        `target city: reaching the front database failed (timed out after ${TIMEOUT_MS} ms): ${NO_CONNECTION}`,
      );
    });

    it('config check --connect names the reaching of the database, not the exchange table', async () => {
      proxy.silence();
      const checked = await target(proxy.port)
        .checkConnection()
        .catch((e: unknown) => e);
      expect(checked).toBeInstanceOf(LicbridgeError);
      expect((checked as LicbridgeError).message).toBe(
        `target city: reaching the front database failed (timed out after ${TIMEOUT_MS} ms): ${NO_CONNECTION}`,
      );
    });

    it('a statement out of time is still told as the deadline alone', async () => {
      const t = target(connection.port as number);
      await t.refuseUnfitTable();
      expect((await t.deliver([deliveryItem(2, { target: 'city' })]))[0]?.state).toBe('accepted');
      const release = await server.lock(db);
      let sent: unknown;
      try {
        sent = await t.deliver([deliveryItem(3, { target: 'city' })]).catch((e: unknown) => e);
      } finally {
        await release();
      }
      expect(sent).toBeInstanceOf(LicbridgeError);
      expect((sent as LicbridgeError).message).toBe(
        `target city: writing exchange table ${TABLE} failed (timed out after ${TIMEOUT_MS} ms)`,
      );
    });
  });
}
