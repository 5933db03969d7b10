/**
 * Node's HTTP server takes any number of connections: one client opening thousands (each held
 * until the slow-client limits close it) used up the process's file descriptors, which the ledger,
 * Redis and the sources need too. `serve.maxConnections` caps them: a connection beyond it is
 * closed unanswered, said once in the log, and serving resumes as soon as one closes.
 */
import { once } from 'node:events';
import { connect, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startOpsServer } from '../../pipelines/observability/server.js';
import { createDemoWorkspace, type DemoWorkspace } from '../support/demo-workspace.js';
import { lineLogger } from '../support/log-lines.js';
import { opsConfig } from './ops-fixtures.js';

const CAP = 3;

let ws: DemoWorkspace;
beforeAll(async () => {
  ws = await createDemoWorkspace({ rows: 1 });
});
afterAll(async () => {
  await ws?.cleanup();
});

/** A connection the server has accepted and keeps open: a request whose body never comes. */
async function holder(url: string): Promise<Socket> {
  const { hostname, port } = new URL(url);
  const socket = connect(Number(port), hostname);
  socket.on('error', () => undefined);
  await once(socket, 'connect');
  socket.write(
    `PUT /dashboard/api/queues/pause HTTP/1.1\r\nHost: ${hostname}:${port}\r\nContent-Length: 1000\r\n\r\n`,
  );
  // Its 401 comes once the server holds the connection.
  const [chunk] = (await once(socket, 'data')) as [Buffer];
  expect(chunk.toString('latin1')).toMatch(/^HTTP\/1\.1 401/);
  return socket;
}

describe('serve.maxConnections', () => {
  it('closes connections beyond the cap unanswered, says so once, and serves again when one closes', async () => {
    const { config } = await opsConfig(
      ws,
      'cap.yaml',
      `serve: { port: 0, maxConnections: ${CAP}, auth: { username: ops, password: cap-pass-${process.pid} } }\nmetrics: { lagIntervalMs: 0 }\n`,
    );
    const { logger, lines } = lineLogger('warn');
    // Long slow-client limits: only the cap can close a connection here.
    const server = await startOpsServer(config, logger, {
      slowClientLimits: {
        headersTimeout: 600_000,
        requestTimeout: 600_000,
        connectionsCheckingInterval: 600_000,
      },
    });
    const held: Socket[] = [];
    try {
      for (let i = 0; i < CAP; i++) held.push(await holder(server.url));
      for (let i = 0; i < 2; i++) {
        await expect(fetch(`${server.url}/healthz`)).rejects.toThrow();
      }
      const refusals = lines.filter((l) => l.includes('serve.maxConnections'));
      expect(refusals).toHaveLength(1);
      expect(refusals[0]).toContain(`(${CAP})`);

      held.pop()?.destroy();
      // The server notices the close on its own turn: asked again until it has.
      let status: number | undefined;
      while (status === undefined) {
        status = await fetch(`${server.url}/healthz`).then(
          (r) => r.arrayBuffer().then(() => r.status),
          () => undefined,
        );
      }
      expect(status).toBe(200);
    } finally {
      for (const s of held) s.destroy();
      await server.close();
    }
  });

  it('loads with its default, 256', async () => {
    const { config } = await opsConfig(ws, 'cap-default.yaml', 'serve: { port: 0 }\n');
    expect(config.serve.maxConnections).toBe(256);
  });
});
