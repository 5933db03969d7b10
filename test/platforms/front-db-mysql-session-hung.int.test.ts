/**
 * A MySQL or MariaDB front database that takes the connection and logs the user in, then never
 * answers (a server hung past its handshake, a proxy that stops forwarding). Each connection the
 * target makes first reads the session's `sql_mode` (adapters/platforms/front-db/mysql-session-literals.ts);
 * that read runs out of `timeoutMs`, and knex, whose pool was given no connection, leaves the one it
 * made as it was: never closed, not even when the target is closed, one more at each send while the
 * database stays so. Now the connection whose making failed is closed.
 */
import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FrontDbTarget } from '../../adapters/platforms/front-db/front-db-target.js';
import { LicbridgeError } from '../../core/errors.js';
import { type SilentProxy, silentProxy } from '../support/silent-proxy.js';
import { frontDbConfig } from './front-db-fixtures.js';
import { scratchMariaDb } from './front-db-servers.js';
import { deliveryItem } from './license-fixture.js';

const TIMEOUT_MS = 1_000;
const SENDS = 3;

/** The proxy's connections still open, once they are all closed or `ms` has passed. */
async function openAfter(proxy: SilentProxy, ms: number): Promise<number> {
  const until = Date.now() + ms;
  while (proxy.open > 0 && Date.now() < until) await sleep(50);
  return proxy.open;
}

describe('front-db target on MariaDB: a database that goes silent once the session is read', () => {
  const db = `lb_front_hung_${randomBytes(4).toString('hex')}`;
  let proxy: SilentProxy;
  let targetConnection: Record<string, string | number>;

  beforeAll(async () => {
    const connection = await scratchMariaDb.create(db);
    // Connections are made through the proxy, which goes silent on the session's read.
    proxy = await silentProxy(Number(connection.port), /@@SESSION\.sql_mode/i);
    targetConnection = { ...connection, port: proxy.port };
  });
  afterAll(async () => {
    await proxy?.close();
    await scratchMariaDb.drop(db);
  });

  it('leaves no connection open once the target is closed', async () => {
    const target = new FrontDbTarget(
      'city',
      frontDbConfig('mysql', { connection: targetConnection }, 'UP_LIC_DATA', {
        createTable: true,
        timeoutMs: TIMEOUT_MS,
      }),
    );
    try {
      for (let i = 0; i < SENDS; i++) {
        const sent = await target.deliver([deliveryItem(1 + i, { target: 'city' })]).catch((e: unknown) => e);
        expect(sent).toBeInstanceOf(LicbridgeError);
        expect((sent as LicbridgeError).retryable).toBe(true);
      }
      expect(proxy.silenced).toBeGreaterThan(0);
    } finally {
      await target.close();
    }
    // Each read of the session runs out of `timeoutMs` after its connection was made; then the
    // connection is closed. Before: every one stayed open.
    expect(await openAfter(proxy, TIMEOUT_MS + 5_000)).toBe(0);
  }, 60_000);
});
