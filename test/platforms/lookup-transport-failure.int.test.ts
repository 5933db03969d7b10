/**
 * A lookup or listing (reconciliation's read of what the platform holds) that got no HTTP answer:
 * its error carries the connection's code (`errno`) as a batch upload's or a status request's does,
 * so its kind reads `unreachable` or `timeout` by its fields, and its cause holds the code and the
 * message only. Before, the error kept no code (its kind read by no field) and its cause was the
 * HTTP client's own error, which holds the request's headers: the token or signature sent.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { RestJsonTarget } from '../../adapters/platforms/rest-json/rest-json-target.js';
import { errorFailureKind } from '../../adapters/platforms/shared/failure-kind.js';
import { restConfig } from './license-fixture.js';
import { listAll } from './lookup-stand-in.js';

const closers: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const c of closers.splice(0).reverse()) await c();
});

/** A loopback port nothing listens on: a server's, closed. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** A server that takes requests and never answers. */
async function silentServer(): Promise<string> {
  const server = createServer(() => undefined);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  closers.push(
    () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  );
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/** A target at `url` signing with a bearer token it must never leak. */
function targetAt(url: string, timeoutMs = 2000): RestJsonTarget {
  const target = new RestJsonTarget('province', restConfig(url, { timeoutMs }), {
    auth: { headers: async () => ({ authorization: 'Bearer tok-3f9a71c2' }) },
  });
  closers.push(() => target.close());
  return target;
}

async function failureOf(p: Promise<unknown>): Promise<Error & { context: Record<string, unknown> }> {
  const e = await p.then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(Error);
  return e as Error & { context: Record<string, unknown> };
}

/** Every own value of `e` and its causes, as text: what a log line or a dead letter could show. */
function everything(e: unknown, depth = 0): string {
  if (depth > 4 || e === null || typeof e !== 'object') return String(e);
  const fields = Object.getOwnPropertyNames(e).map((k) => {
    const v = (e as Record<string, unknown>)[k];
    return `${k}=${typeof v === 'object' ? everything(v, depth + 1) : String(v)}`;
  });
  return fields.join(' ');
}

describe('lookup and listing with no answer from the platform', () => {
  it('a refused connection: errno ECONNREFUSED, kind unreachable, no header in the cause', async () => {
    const port = await closedPort();
    const target = targetAt(`http://127.0.0.1:${port}`);
    const failures = [
      { e: await failureOf(target.lookup(['lic-000001'])), action: 'lookup' },
      { e: await failureOf(listAll(target)), action: 'listing request' },
    ];
    for (const { e, action } of failures) {
      expect(e.context).toMatchObject({ target: 'province', errno: 'ECONNREFUSED' });
      expect(errorFailureKind(e)).toBe('unreachable');
      expect(e.message).toMatch(
        new RegExp(
          `^target province: ${action} to http://127\\.0\\.0\\.1:\\d+ failed: connection failed \\(ECONNREFUSED\\)$`,
        ),
      );
      expect(everything(e)).not.toContain('tok-3f9a71c2');
    }
  });

  it('no answer in time: kind timeout', async () => {
    const target = targetAt(await silentServer(), 300);
    const e = await failureOf(target.lookup(['lic-000001']));
    expect(errorFailureKind(e)).toBe('timeout');
    expect(everything(e)).not.toContain('tok-3f9a71c2');
  });
});
