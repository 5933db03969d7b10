/**
 * The dashboard and its API answer only with credentials, whatever the method or however the path
 * is spelled: dot segments, doubled or encoded slashes, case, the absolute form, credentials put in
 * the query string. Nothing spelled otherwise reaches the board, and none of it pauses a queue.
 */
import { once } from 'node:events';
import { writeFile } from 'node:fs/promises';
import { connect } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../config/loader.js';
import { createLogger } from '../../core/logger.js';
import { type OpsServer, startOpsServer } from '../../pipelines/observability/server.js';
import { createDemoWorkspace, type DemoWorkspace, demoConfigYaml } from '../support/demo-workspace.js';

const PASSWORD = 'paths-pass-29';
const TOKEN = 'paths-bearer-token-7k2m';
const basic = (user: string, pass: string) => `Basic ${Buffer.from(`${user}:${pass}`).toString('base64')}`;

/** One raw HTTP/1.1 request, the target sent exactly as written; returns the status. */
async function rawStatus(url: string, method: string, target: string, headers = ''): Promise<number> {
  const { hostname, port } = new URL(url);
  const socket = connect(Number(port), hostname);
  await once(socket, 'connect');
  socket.write(
    `${method} ${target} HTTP/1.1\r\nHost: ${hostname}:${port}\r\n${headers}Content-Length: 0\r\nConnection: close\r\n\r\n`,
  );
  let text = '';
  for await (const chunk of socket) text += (chunk as Buffer).toString('latin1');
  return Number(/^HTTP\/1\.1 (\d{3})/.exec(text)?.[1]);
}

let ws: DemoWorkspace;
let server: OpsServer;

beforeAll(async () => {
  ws = await createDemoWorkspace({ rows: 3 });
  const file = join(ws.dir, 'paths.yaml');
  await writeFile(
    file,
    `${demoConfigYaml({ prefix: ws.prefix, simulatorUrl: ws.simulator.url })}serve: { port: 0, auth: { username: ops, password: ${PASSWORD}, token: ${TOKEN} } }\nmetrics: { lagIntervalMs: 0 }\n`,
  );
  server = await startOpsServer(await loadConfig({ file }), createLogger({ level: 'silent' }));
});

afterAll(async () => {
  await server?.close();
  await ws?.cleanup();
});

async function paused(): Promise<boolean | undefined> {
  const res = await fetch(`${server.url}/dashboard/api/queues`, {
    headers: { authorization: `Bearer ${TOKEN}` },
  });
  const body = (await res.json()) as { queues: { name: string; isPaused: boolean }[] };
  return body.queues.find((q) => q.name === 'extract')?.isPaused;
}

describe('dashboard authentication', () => {
  it('asks for credentials on every method and every spelling of a dashboard path', async () => {
    const targets = [
      '/dashboard',
      '/dashboard/',
      '/dashboard/api/queues',
      '/dashboard/api/queues/extract/pause',
      '/dashboard/api/queues/pause',
      '/./dashboard/api/queues/extract/pause',
      '/x/../dashboard/api/queues/extract/pause',
      '/dashboard/./api/queues/extract/pause',
      '/dashboard//api/queues/extract/pause',
      '//dashboard/api/queues/extract/pause',
      '/dashboard%2fapi%2fqueues%2fextract%2fpause',
      '/%64ashboard/api/queues/extract/pause',
      '/DASHBOARD/api/queues/extract/pause',
      '/dashboard;x/api/queues/extract/pause',
      `${server.url}/dashboard/api/queues/extract/pause`,
      `/dashboard/api/queues/extract/pause?token=${TOKEN}`,
      `/dashboard/api/queues/extract/pause?access_token=${TOKEN}`,
      `/dashboard/api/queues/extract/pause?authorization=${encodeURIComponent(basic('ops', PASSWORD))}`,
    ];
    for (const target of targets) {
      for (const method of ['GET', 'HEAD', 'OPTIONS', 'POST', 'PUT', 'PATCH', 'DELETE']) {
        const status = await rawStatus(server.url, method, target);
        // Refused as unauthenticated, or not a dashboard path at all: never served, never 403 (past login).
        expect([400, 401, 404, 405], `${method} ${target}`).toContain(status);
      }
    }
    expect(await paused()).toBe(false);
  });

  it('refuses wrong, partial or misplaced credentials', async () => {
    const pause = '/dashboard/api/queues/extract/pause';
    const wrong = [
      `Authorization: ${basic('ops', 'wrong')}\r\n`,
      `Authorization: ${basic('ops', `${PASSWORD}x`)}\r\n`,
      `Authorization: ${basic('ops', PASSWORD.slice(0, -1))}\r\n`,
      `Authorization: ${basic('opsx', PASSWORD)}\r\n`,
      `Authorization: ${basic('', PASSWORD)}\r\n`,
      `Authorization: Basic ${Buffer.from(`ops${PASSWORD}`).toString('base64')}\r\n`,
      `Authorization: Bearer ${TOKEN.slice(0, -1)}\r\n`,
      `Authorization: Bearer ${TOKEN}x\r\n`,
      'Authorization: Bearer\r\n',
      `Authorization: Basic ${TOKEN}\r\n`,
      `Authorization: Token ${TOKEN}\r\n`,
      `X-Auth-Token: ${TOKEN}\r\n`,
      `Cookie: token=${TOKEN}\r\n`,
    ];
    for (const headers of wrong) {
      for (const method of ['GET', 'PUT']) {
        expect(await rawStatus(server.url, method, pause, headers), `${method} ${headers.trim()}`).toBe(401);
      }
    }
    expect(await paused()).toBe(false);
    // The right ones, for contrast: reads pass; a change with Basic needs the page's CSRF token.
    expect(
      await rawStatus(
        server.url,
        'GET',
        '/dashboard/api/queues',
        `Authorization: ${basic('ops', PASSWORD)}\r\n`,
      ),
    ).toBe(200);
    expect(await rawStatus(server.url, 'PUT', pause, `Authorization: ${basic('ops', PASSWORD)}\r\n`)).toBe(
      403,
    );
    expect(await paused()).toBe(false);
  });
});
