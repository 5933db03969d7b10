/**
 * Slow clients (slowloris): a connection that never finishes its request is closed within
 * seconds, whatever it trickles — nothing, header lines, or a body after its 401 — where Node's
 * defaults kept it a minute (headers) or five (a body), so a few thousand such connections held
 * `licbridge serve` out of reach of Prometheus and the probes. Requests that arrive whole are
 * served as before, also while slow connections are pending.
 */
import { once } from 'node:events';
import { connect, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type OpsServer, SLOW_CLIENT_LIMITS, startOpsServer } from '../../pipelines/observability/server.js';
import { createDemoWorkspace, type DemoWorkspace } from '../support/demo-workspace.js';
import { opsConfig, quietLogger } from './ops-fixtures.js';

const SERVE =
  'serve: { port: 0, auth: { username: ops, password: slow-pass-37 } }\nmetrics: { lagIntervalMs: 0 }\n';

let ws: DemoWorkspace;
let server: OpsServer;
beforeAll(async () => {
  ws = await createDemoWorkspace({ rows: 3 });
  const { config } = await opsConfig(ws, 'slow-clients.yaml', SERVE);
  // The product's limits (10 s, 20 s, checked every second) shortened tenfold: the same rules,
  // seconds instead of half a minute; the limits themselves are held below.
  server = await startOpsServer(config, quietLogger(), {
    slowClientLimits: { headersTimeout: 1000, requestTimeout: 2000, connectionsCheckingInterval: 100 },
  });
});
afterAll(async () => {
  await server?.close();
  await ws?.cleanup();
});

/**
 * Opens a connection, writes `first`, then one more `drip` every 100 ms, and resolves with whether
 * the server closed it before `giveUpS` seconds, and what it answered.
 */
async function slowClient(first: string, drip: string, giveUpS: number) {
  const { hostname, port } = new URL(server.url);
  const socket: Socket = connect(Number(port), hostname);
  await once(socket, 'connect');
  if (first) socket.write(first);
  const timer = setInterval(() => {
    if (drip && socket.writable) socket.write(drip);
  }, 100);
  let answer = '';
  socket.on('data', (c: Buffer) => {
    answer += c.toString('latin1');
  });
  socket.on('error', () => undefined);
  const closed = new Promise<boolean>((resolve) => socket.once('close', () => resolve(true)));
  const giveUp = new Promise<boolean>((resolve) => setTimeout(() => resolve(false), giveUpS * 1000));
  const closedInTime = await Promise.race([closed, giveUp]);
  clearInterval(timer);
  socket.destroy();
  return { closedInTime, answer };
}

describe('serve and slow clients', () => {
  it('closes connections that never finish their request, and keeps answering the others', async () => {
    const { hostname, port } = new URL(server.url);
    const host = `Host: ${hostname}:${port}\r\n`;
    const pending = Promise.all([
      // Connects and says nothing.
      slowClient('', '', 8),
      // Sends a header line a second and never ends the headers.
      slowClient(`GET /metrics HTTP/1.1\r\n${host}`, 'X-Slow: 1\r\n', 8),
      // A whole header block announcing a body, then a byte every 100 ms: it gets its 401 at once, but
      // the connection stays until the body is in.
      slowClient(
        `PUT /dashboard/api/queues/pause HTTP/1.1\r\n${host}Content-Length: 100000000\r\n\r\n`,
        'x',
        8,
      ),
    ]);
    // Meanwhile, a request that arrives whole is answered.
    await new Promise((r) => setTimeout(r, 300));
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);

    const [silent, headers, body] = await pending;
    // Headers within 1 s, a whole request within 2 s, checked every 100 ms: closed well before the
    // test gives up at 8 s, where Node's own defaults kept these a minute and five minutes.
    expect(silent.closedInTime).toBe(true);
    expect(headers.closedInTime).toBe(true);
    expect(headers.answer).toMatch(/^HTTP\/1\.1 408/);
    expect(body.answer).toMatch(/^HTTP\/1\.1 401/);
    expect(body.closedInTime).toBe(true);
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
  }, 60_000);

  it("keeps serve's own limits: headers within 10 s, the request within 20 s, checked every second", () => {
    expect(SLOW_CLIENT_LIMITS).toEqual({
      headersTimeout: 10_000,
      requestTimeout: 20_000,
      connectionsCheckingInterval: 1000,
    });
  });
});
