/**
 * A read whose combined BEGIN (knex-client.ts, 08ceb46a) goes unanswered: the network went silent
 * on a pooled connection, core/pg-query-bound.ts drops it and raises a timeout, and the read is
 * retried on a fresh connection, as it was before BEGIN and the read's settings went as one query.
 * The fallback to knex's own BEGIN on that dropped client failed the read for good instead
 * ("Client was closed and is not queryable", LB_SOURCE_QUERY, not retryable).
 */
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSource } from '../../connectors/open-source.js';
import { createLogger } from '../../core/logger.js';
import { keysOf, readAll } from './conformance.js';
import { pgFamilyConfig } from './pg-family-fixture.js';
import { createPgDatabase, type FreshPg, PG } from './servers.js';

const quiet = createLogger({ level: 'silent' });

/** A TCP relay to the server that can go silent on the connections it already holds. */
class SilencingRelay {
  readonly sockets: net.Socket[] = [];
  private made = 0;
  /** Connections numbered below this one get no more bytes either way. */
  private silentBelow = 0;
  private readonly server = net.createServer((client) => {
    const n = this.made++;
    const server = net.connect(PG.port, PG.host);
    this.sockets.push(client, server);
    client.on('data', (d) => n >= this.silentBelow && server.write(d));
    server.on('data', (d) => n >= this.silentBelow && client.write(d));
    for (const s of [client, server]) s.on('error', () => undefined);
    client.on('close', () => server.destroy());
    server.on('close', () => client.destroy());
  });

  async listen(): Promise<number> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return (this.server.address() as net.AddressInfo).port;
  }

  silenceOpenConnections(): void {
    this.silentBelow = this.made;
  }

  close(): void {
    for (const s of this.sockets) s.destroy();
    this.server.close();
  }
}

describe('a PostgreSQL read whose BEGIN goes unanswered', () => {
  let fresh: FreshPg;
  const relay = new SilencingRelay();
  let port = 0;

  beforeAll(async () => {
    fresh = await createPgDatabase();
    await fresh.client.query('CREATE TABLE t_x (id int PRIMARY KEY, mc text)');
    await fresh.client.query("INSERT INTO t_x SELECT i, 'N' || i FROM generate_series(1, 30) AS i");
    port = await relay.listen();
  });
  afterAll(async () => {
    relay.close();
    await fresh.drop();
  });

  it('is retried on a fresh connection, not failed for good', async () => {
    const config = pgFamilyConfig('postgres', fresh.database, { statementTimeoutMs: 100 } as never);
    (config.connection as { port: number }).port = port;
    const source = await openSource('legacy', config, { logger: quiet });
    try {
      expect(keysOf(await readAll(source, { table: 't_x', key: 'id' }, 10))).toHaveLength(30);
      relay.silenceOpenConnections();
      expect(keysOf(await readAll(source, { table: 't_x', key: 'id' }, 10))).toHaveLength(30);
    } finally {
      await source.close();
    }
  });
});
