/**
 * A front database that takes the connection, then never answers the lookup of the exchange table
 * (`createTable`: is it there yet?). That lookup, knex's schema `hasTable`, ran without the target's
 * `timeoutMs`: `config check --connect` and the first send waited forever. Both now fail within
 * that time, naming the target and the table, retryable. The database sits behind a pass-through
 * that stops answering a connection once it asks the catalog for tables.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FrontDbTarget } from '../../adapters/platforms/front-db/front-db-target.js';
import { SILENT_GRACE_MS } from '../../adapters/platforms/front-db/silent-database.js';
import { LicbridgeError } from '../../core/errors.js';
import { outcomeWithin, type SilentProxy, silentProxy } from '../support/silent-proxy.js';
import { frontDbConfig } from './front-db-fixtures.js';
import { scratchMariaDb, scratchPostgres } from './front-db-servers.js';
import { deliveryItem } from './license-fixture.js';

const TIMEOUT_MS = 1_000;
const TABLE = 'UP_LIC_DATA';
/**
 * How long a check or a send may take here: `timeoutMs`, then closing the pool, which waits up to
 * `SILENT_GRACE_MS` for the silent connection (MariaDB's driver waits for its goodbye), and room for a
 * loaded machine. Without the deadline: forever.
 */
const BOUND_MS = TIMEOUT_MS + SILENT_GRACE_MS + 6_000;

const SERVERS = [
  { name: 'PostgreSQL', client: 'postgres' as const, scratch: scratchPostgres },
  { name: 'MariaDB', client: 'mysql' as const, scratch: scratchMariaDb },
];

for (const server of SERVERS) {
  describe(`front-db target on ${server.name}: the exchange table's lookup under createTable`, () => {
    const db = `lb_front_ht_${randomBytes(4).toString('hex')}`;
    let proxy: SilentProxy;
    let target: FrontDbTarget;

    beforeAll(async () => {
      const connection = await server.scratch.create(db);
      proxy = await silentProxy(Number(connection.port), /information_schema\.tables/i);
      target = new FrontDbTarget(
        'city',
        frontDbConfig(server.client, { connection: { ...connection, port: proxy.port } }, TABLE, {
          createTable: true,
          timeoutMs: TIMEOUT_MS,
        }),
      );
    });
    afterAll(async () => {
      await proxy?.close();
      await target?.close();
      await server.scratch.drop(db);
    });

    it('config check --connect fails within timeoutMs, naming the target and the table', async () => {
      const outcome = await outcomeWithin(BOUND_MS, target.checkConnection());
      expect(outcome, 'the check returned').not.toBe('hung');
      expect(proxy.silenced).toBeGreaterThan(0);
      expect(outcome).toBeInstanceOf(LicbridgeError);
      expect((outcome as LicbridgeError).message).toBe(
        `target city: checking exchange table ${TABLE} failed (timed out after ${TIMEOUT_MS} ms)`,
      );
      expect((outcome as LicbridgeError).retryable).toBe(true);
    });

    it('the first send fails within timeoutMs, retryable, naming the target and the table', async () => {
      const outcome = await outcomeWithin(BOUND_MS, target.deliver([deliveryItem(1, { target: 'city' })]));
      expect(outcome, 'the send returned').not.toBe('hung');
      expect(outcome).toBeInstanceOf(LicbridgeError);
      expect((outcome as LicbridgeError).message).toBe(
        // As config check --connect says it: the table was being looked up, no row written.
        `target city: checking exchange table ${TABLE} failed (timed out after ${TIMEOUT_MS} ms)`,
      );
      expect((outcome as LicbridgeError).retryable).toBe(true);
    });
  });
}
