/**
 * `config check --connect` on a PostgreSQL front database whose exchange table is held (the
 * exchange system's session locking it) and which takes new connections and never answers them:
 * the check's statement runs past its time, and knex's cancel, on a new connection, fails by the
 * connect timeout (`After query timeout of … exceeded, cancelling of query failed.`). That is the
 * statement's deadline passed, asking about the table: the check names the table, as it does for
 * a statement timed out, and asks nothing more of a database that answers no new connection.
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
/** Short, so the cancel's connect timeout (the same `timeoutMs`) ends before the check is given up. */
const TIMEOUT_MS = 500;

describe('front-db check on PostgreSQL: a statement out of time whose cancel cannot connect', () => {
  const db = `lb_front_cancel_check_${randomBytes(4).toString('hex')}`;
  let connection: Record<string, string | number>;

  beforeAll(async () => {
    connection = await scratchPostgres.create(db);
  });
  afterAll(async () => {
    await scratchPostgres.drop(db);
  });

  it('names the table it was checking, timed out after timeoutMs, and asks no further', async () => {
    const proxy = await tcpProxy(Number(connection.port));
    const target = new FrontDbTarget(
      'city',
      frontDbConfig('postgres', { connection: { ...connection, port: proxy.port } }, TABLE, {
        createTable: true,
        timeoutMs: TIMEOUT_MS,
        exchangeStatus: { accepted: ['1'], rejected: ['9'] },
      }),
    );
    const locker = new pg.Client({ host: '127.0.0.1', port: 5432, user: 'postgres', database: db });
    try {
      await target.refuseUnfitTable();
      const [first] = await sentWhileAnswering(target, [deliveryItem(1, { target: 'city' })]);
      expect(first?.state).toBe('submitted');
      await locker.connect();
      await locker.query('begin');
      await locker.query(`lock table "${TABLE}" in access exclusive mode`);
      // The check's own connection answers; the one knex opens to cancel, and any after it, never do.
      proxy.newConnections('hold', 1);
      const refused = await target.checkConnection().then(
        () => undefined,
        (e: unknown) => e,
      );
      // Before: `reaching the front database failed (timed out after 500 ms)`.
      expect((refused as Error).message).toBe(
        `target city: checking exchange table ${TABLE} failed (timed out after ${TIMEOUT_MS} ms)`,
      );
      // The cancel's connection only. Before: a second, the table's columns asked for after the
      // statement's time, waiting on a connection up to `timeoutMs` more for the same answer.
      expect(proxy.held).toBe(1);
    } finally {
      await locker.query('rollback').catch(() => undefined);
      await locker.end().catch(() => undefined);
      await target.close();
      await proxy.close();
    }
  }, 60_000);
});
