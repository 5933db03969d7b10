/**
 * An Oracle source's `connectTimeoutMs` reaches node-oracledb. knex's Oracle client hands
 * `getConnection` only the user, the password and the connect string, so the `connectTimeout` the
 * source sets was dropped and the driver waited its own 20 s (knex's pool a minute) on a server
 * that accepts the connection and never answers: a department's database behind a stalled
 * firewall held each run that long, whatever the config said. The source's knex client
 * (connectors/sql/dialects/oracle/knex-client.ts) hands it on with the wallet's attributes.
 */
import { type AddressInfo, createServer, type Server, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SourceConfig } from '../../config/types.js';
import { openSource } from '../../connectors/open-source.js';

describe('an Oracle source whose server accepts and never answers', { timeout: 60_000 }, () => {
  let server: Server;
  const sockets: Socket[] = [];

  beforeAll(async () => {
    server = createServer((s) => {
      sockets.push(s);
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  });
  afterAll(async () => {
    for (const s of sockets) s.destroy();
    await new Promise<void>((r) => server.close(() => r()));
  });

  it('gives up after the configured connectTimeoutMs, named in the driver’s message', async () => {
    const config = {
      kind: 'oracle',
      connection: {
        host: '127.0.0.1',
        port: (server.address() as AddressInfo).port,
        database: 'ORCL',
        user: 'lic',
        password: 'pw',
      },
      connectTimeoutMs: 2_000,
    } as unknown as SourceConfig;
    const source = await openSource('market-food', config);
    try {
      // The driver says which of its timeouts expired and at how many seconds.
      await expect(source.checkConnection()).rejects.toThrow(/"connectTimeout" of 2 seconds/);
    } finally {
      await source.close();
    }
  });
});
