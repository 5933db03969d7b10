/**
 * A front database that stops answering for as long as sends keep being retried: each send given
 * up (./front-db-silent-server.int.test.ts) left its connections open for good, one more every
 * time: a connection still in use, which the pool waits for before it closes anything, and one
 * the database took and never answered (pg has no time limit on making one). They stayed open
 * after the target was closed too, holding the worker's process. Now they are closed by force once
 * the pool has waited its 2 s, and the making of a connection gives up after `timeoutMs`.
 */
import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FrontDbTarget } from '../../adapters/platforms/front-db/front-db-target.js';
import { SILENT_GRACE_MS } from '../../adapters/platforms/front-db/silent-database.js';
import { LicbridgeError } from '../../core/errors.js';
import { outcomeWithin, type SilentProxy, silentProxy } from '../support/silent-proxy.js';
import { frontDbConfig, sentWhileAnswering } from './front-db-fixtures.js';
import { scratchMariaDb, scratchPostgres } from './front-db-servers.js';
import { deliveryItem } from './license-fixture.js';

const TIMEOUT_MS = 500;
const TABLE = 'UP_LIC_DATA';
const SENDS = 4;

const SERVERS = [
  { name: 'PostgreSQL', client: 'postgres' as const, scratch: scratchPostgres },
  { name: 'MariaDB', client: 'mysql' as const, scratch: scratchMariaDb },
];

/** The proxy's connections still open, once they are all closed or `ms` has passed. */
async function openAfter(proxy: SilentProxy, ms: number): Promise<number> {
  const until = Date.now() + ms;
  while (proxy.open > 0 && Date.now() < until) await sleep(50);
  return proxy.open;
}

for (const server of SERVERS) {
  describe(`front-db target on ${server.name}: sends given up while the database is silent`, () => {
    const db = `lb_front_silent_conn_${randomBytes(4).toString('hex')}`;
    let proxy: SilentProxy;
    let target: FrontDbTarget;

    beforeAll(async () => {
      const connection = await server.scratch.create(db);
      proxy = await silentProxy(Number(connection.port));
      target = new FrontDbTarget(
        'city',
        frontDbConfig(server.client, { connection: { ...connection, port: proxy.port } }, TABLE, {
          createTable: true,
          timeoutMs: TIMEOUT_MS,
          exchangeStatus: { accepted: ['1'], rejected: ['9'] },
        }),
      );
      await target.refuseUnfitTable();
      const [first] = await sentWhileAnswering(target, [deliveryItem(1, { target: 'city' })]);
      expect(first?.state).toBe('submitted');
    });
    afterAll(async () => {
      await target?.close();
      await proxy?.close();
      await server.scratch.drop(db);
    });

    it('leave no connection open once the target is closed, however many there were', async () => {
      proxy.silence();
      for (let i = 0; i < SENDS; i++) {
        // The first given up while writing; the next ones while reaching the database anew.
        await expect(target.deliver([deliveryItem(2 + i, { target: 'city' })])).rejects.toThrow(
          new RegExp(
            `(writing exchange table ${TABLE}|reaching the front database) failed \\(timed out after ${TIMEOUT_MS} ms\\)`,
          ),
        );
      }
      await target.close();
      // Before: one connection more left open by each send given up, none ever closed.
      expect(await openAfter(proxy, TIMEOUT_MS + SILENT_GRACE_MS + 3_000)).toBe(0);
    }, 60_000);

    it('closing the target while a send waits on it ends within 2 s, its connections closed', async () => {
      proxy.speak();
      const [opened] = await sentWhileAnswering(target, [deliveryItem(10, { target: 'city' })]);
      expect(opened?.state).toBe('submitted');
      proxy.silence();
      const sending = target.deliver([deliveryItem(11, { target: 'city' })]).catch((e: unknown) => e);
      await sleep(TIMEOUT_MS / 5);
      // Before: close() waited for the connection the send holds, which the database never let go.
      expect(await outcomeWithin(SILENT_GRACE_MS + 3_000, target.close())).not.toBe('hung');
      const sent = await outcomeWithin(TIMEOUT_MS + SILENT_GRACE_MS + 3_000, sending);
      expect(sent).toBeInstanceOf(LicbridgeError);
      expect((sent as LicbridgeError).retryable).toBe(true);
      expect(await openAfter(proxy, SILENT_GRACE_MS)).toBe(0);
    }, 60_000);
  });
}
