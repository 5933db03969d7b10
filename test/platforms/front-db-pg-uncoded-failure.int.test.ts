/**
 * pg reports some failures of the connection itself with no code: a server that closes the
 * connection (`Connection terminated unexpectedly`: a proxy dropping it, a server killed), and its
 * own connect timeout (`connectionTimeoutMillis`: `timeout expired`). A send failing so read
 * `… failed`, nothing in brackets, and was audited `other`, as a row refused for its values is,
 * where a closed connection of mysql2 (PROTOCOL_CONNECTION_LOST) or a refused port is `unreachable`.
 * The send is retried either way; the attempt is now audited by its kind, and the message names
 * the failure by pg's own words (fixed texts, no value in them).
 */
import { createServer, type Server, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FrontDbTargetConfig } from '../../adapters/platforms/front-db/config.js';
import { FrontDbTarget } from '../../adapters/platforms/front-db/front-db-target.js';
import { errorFailureKind } from '../../adapters/platforms/shared/failure-kind.js';
import { LicbridgeError } from '../../core/errors.js';
import { thrownAttemptReason } from '../../pipelines/stages/deliver-attempt-reasons.js';
import { frontDbConfig } from './front-db-fixtures.js';
import { deliveryItem } from './license-fixture.js';

/** The error `deliver` of one license threw, the target closed after. */
async function sendFailure(config: FrontDbTargetConfig): Promise<LicbridgeError> {
  const target = new FrontDbTarget('city', config);
  try {
    const e = await target.deliver([deliveryItem(1, { target: 'city' })]).then(
      () => undefined,
      (e: unknown) => e,
    );
    if (!(e instanceof LicbridgeError)) throw new Error(`expected a LicbridgeError, got ${String(e)}`);
    return e;
  } finally {
    await target.close();
  }
}

/** A loopback server doing `onSocket` with each connection; its sockets ended by `close`. */
async function loopback(onSocket: (s: Socket) => void): Promise<{ server: Server; port: number }> {
  const sockets = new Set<Socket>();
  const server = createServer((s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
    onSocket(s);
  });
  server.on('close', () => {
    for (const s of sockets) s.destroy();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, port: (server.address() as { port: number }).port };
}

describe('front-db on PostgreSQL: a failure pg gives no code', () => {
  let closing: { server: Server; port: number };
  let silent: { server: Server; port: number };
  const sockets: Socket[] = [];

  beforeAll(async () => {
    closing = await loopback((s) => s.destroy());
    silent = await loopback((s) => sockets.push(s));
  });
  afterAll(async () => {
    for (const s of sockets) s.destroy();
    for (const { server } of [closing, silent]) await new Promise<void>((r) => server.close(() => r()));
  });

  const connection = (port: number, extra: Record<string, unknown> = {}) => ({
    host: '127.0.0.1',
    port,
    user: 'postgres',
    database: 'test',
    ...extra,
  });

  it('the connection closed by the other end: unreachable, named', async () => {
    const e = await sendFailure(
      frontDbConfig('postgres', { connection: connection(closing.port) }, 'UP_LIC_DATA', { attempts: 1 }),
    );
    expect(e.retryable).toBe(true);
    expect(e.message).toContain('failed (Connection terminated unexpectedly)');
    expect(errorFailureKind(e)).toBe('unreachable');
    expect(thrownAttemptReason(e)).toBe('unreachable');
  });

  it("pg's connect timeout: timeout, named", async () => {
    const e = await sendFailure(
      frontDbConfig(
        'postgres',
        { connection: connection(silent.port, { connectionTimeoutMillis: 200 }) },
        'UP_LIC_DATA',
        { attempts: 1 },
      ),
    );
    expect(e.retryable).toBe(true);
    expect(e.message).toContain('failed (timeout expired)');
    expect(errorFailureKind(e)).toBe('timeout');
    expect(thrownAttemptReason(e)).toBe('timeout');
  });
});
