/**
 * A front database that takes the connection, then never answers the lookup of the exchange table
 * (`createTable`: is it there yet?). That lookup, knex's schema `hasTable`, ran without the target's
 * `timeoutMs`: `config check --connect` and the first send waited forever. Both now fail within
 * that time, naming the target and the table, retryable. The database sits behind a pass-through
 * that stops answering a connection once it asks the catalog for tables.
 */
import { randomBytes } from 'node:crypto';
import { connect, createServer, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FrontDbTarget } from '../../adapters/platforms/front-db/front-db-target.js';
import { LicbridgeError } from '../../core/errors.js';
import { frontDbConfig } from './front-db-fixtures.js';
import { scratchMariaDb, scratchPostgres } from './front-db-servers.js';
import { deliveryItem } from './license-fixture.js';

const TIMEOUT_MS = 1_000;
const TABLE = 'UP_LIC_DATA';
/**
 * How long a check or a send may take here: `timeoutMs`, then closing the pool, which on MariaDB
 * waits out the pool's own 5 s for the silent connection's goodbye. Without the deadline: forever.
 */
const BOUND_MS = TIMEOUT_MS + 11_000;

/** A TCP pass-through to `port` that goes silent on a connection once the client's bytes hold `marker`. */
async function silentOn(
  port: number,
  marker: RegExp,
): Promise<{ port: number; silenced: () => number; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  let silenced = 0;
  const server = createServer((client) => {
    const up = connect(port, '127.0.0.1');
    for (const s of [client, up]) {
      sockets.add(s);
      s.on('error', () => undefined);
    }
    let silent = false;
    client.on('data', (chunk: Buffer) => {
      if (!silent && marker.test(chunk.toString('latin1'))) {
        silent = true;
        silenced += 1;
      }
      if (!silent) up.write(chunk);
    });
    up.on('data', (chunk: Buffer) => {
      if (!silent) client.write(chunk);
    });
    client.on('close', () => up.destroy());
    up.on('close', () => client.destroy());
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    port: (server.address() as { port: number }).port,
    silenced: () => silenced,
    async close() {
      for (const s of sockets) s.destroy();
      await new Promise((r) => server.close(r));
    },
  };
}

/** The promise's outcome (its value or its error), or `hung` when it has not settled within `ms`. */
async function within(ms: number, p: Promise<unknown>): Promise<unknown> {
  let timer: NodeJS.Timeout | undefined;
  const hung = new Promise<string>((resolve) => {
    timer = setTimeout(() => resolve('hung'), ms);
  });
  try {
    return await Promise.race([
      p.then(
        (v) => v,
        (e: unknown) => e,
      ),
      hung,
    ]);
  } finally {
    clearTimeout(timer);
  }
}

const SERVERS = [
  { name: 'PostgreSQL', client: 'postgres' as const, scratch: scratchPostgres },
  { name: 'MariaDB', client: 'mysql' as const, scratch: scratchMariaDb },
];

for (const server of SERVERS) {
  describe(`front-db target on ${server.name}: the exchange table's lookup under createTable`, () => {
    const db = `lb_front_ht_${randomBytes(4).toString('hex')}`;
    let proxy: Awaited<ReturnType<typeof silentOn>>;
    let target: FrontDbTarget;

    beforeAll(async () => {
      const connection = await server.scratch.create(db);
      proxy = await silentOn(Number(connection.port), /information_schema\.tables/i);
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
      const outcome = await within(BOUND_MS, target.checkConnection());
      expect(outcome, 'the check returned').not.toBe('hung');
      expect(proxy.silenced()).toBeGreaterThan(0);
      expect(outcome).toBeInstanceOf(LicbridgeError);
      expect((outcome as LicbridgeError).message).toBe(
        `target city: checking exchange table ${TABLE} failed (timed out after ${TIMEOUT_MS} ms)`,
      );
      expect((outcome as LicbridgeError).retryable).toBe(true);
    });

    it('the first send fails within timeoutMs, retryable, naming the target and the table', async () => {
      const outcome = await within(BOUND_MS, target.deliver([deliveryItem(1, { target: 'city' })]));
      expect(outcome, 'the send returned').not.toBe('hung');
      expect(outcome).toBeInstanceOf(LicbridgeError);
      expect((outcome as LicbridgeError).message).toBe(
        `target city: writing exchange table ${TABLE} failed (timed out after ${TIMEOUT_MS} ms)`,
      );
      expect((outcome as LicbridgeError).retryable).toBe(true);
    });
  });
}
