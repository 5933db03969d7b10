/**
 * DNS rebinding: a web page whose host name is re-pointed at 127.0.0.1 makes a browser on the
 * serve host send requests naming that host. While `licbridge serve` listens on loopback, it
 * answers only for localhost, IP addresses and `serve.allowedHosts`; other names get 421 and no
 * data. Bound to another address it checks nothing, as before.
 */
import { once } from 'node:events';
import { request } from 'node:http';
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startOpsServer } from '../../pipelines/observability/server.js';
import { createDemoWorkspace, type DemoWorkspace } from '../support/demo-workspace.js';
import { lineLogger } from '../support/log-lines.js';
import { opsConfig, quietLogger } from './ops-fixtures.js';

const PASSWORD = 'host-check-pass-62';
const BASIC = `Basic ${Buffer.from(`ops:${PASSWORD}`).toString('base64')}`;
const SERVE = `serve: { port: 0, auth: { username: ops, password: ${PASSWORD} } }\nmetrics: { lagIntervalMs: 0 }\n`;

let ws: DemoWorkspace;
beforeAll(async () => {
  ws = await createDemoWorkspace({ rows: 3 });
});
afterAll(async () => {
  await ws?.cleanup();
});

/** GET `path` from 127.0.0.1:`port` with the given Host header; status and body. */
async function get(port: number, path: string, host: string, authorization?: string) {
  const req = request({
    host: '127.0.0.1',
    port,
    path,
    headers: { host, ...(authorization ? { authorization } : {}) },
  });
  req.end();
  const [res] = (await once(req, 'response')) as [import('node:http').IncomingMessage];
  let body = '';
  for await (const chunk of res) body += (chunk as Buffer).toString('utf8');
  return { status: res.statusCode, body };
}

/** One raw request line (an absolute-form target) with a Host header; the status. */
async function rawStatus(port: number, requestLine: string, host: string): Promise<number> {
  const socket = connect(port, '127.0.0.1');
  await once(socket, 'connect');
  socket.write(`${requestLine}\r\nHost: ${host}\r\nConnection: close\r\n\r\n`);
  let text = '';
  for await (const chunk of socket) text += (chunk as Buffer).toString('latin1');
  return Number(/^HTTP\/1\.1 (\d{3})/.exec(text)?.[1]);
}

const portOf = (url: string) => Number(new URL(url).port);

describe('serve on loopback and the Host header', () => {
  it('refuses a rebound host name on every path, and logs it once', async () => {
    const { logger, lines } = lineLogger();
    const { config } = await opsConfig(ws, 'host-default.yaml', SERVE);
    const server = await startOpsServer(config, logger);
    const port = portOf(server.url);
    try {
      for (const host of [`attacker.example:${port}`, 'attacker.example', 'localhost.attacker.example']) {
        for (const path of ['/metrics', '/healthz', '/readyz', '/', '/dashboard', '/dashboard/api/queues']) {
          const res = await get(port, path, host, path.startsWith('/dashboard') ? BASIC : undefined);
          expect(res.status, `${host} ${path}`).toBe(421);
          expect(res.body).not.toContain('licbridge_');
          expect(res.body).not.toContain('"checks"');
        }
      }
      // The authority of an absolute-form target overrides the Host header (RFC 9112 §3.2.2).
      expect(await rawStatus(port, 'GET http://attacker.example/metrics HTTP/1.1', `127.0.0.1:${port}`)).toBe(
        421,
      );
      expect(await rawStatus(port, `GET http://127.0.0.1:${port}/healthz HTTP/1.1`, 'attacker.example')).toBe(
        200,
      );
    } finally {
      await server.close();
    }
    const refused = lines.filter((l) => l.includes('refused a request for another host name'));
    expect(refused).toHaveLength(1);
    expect(JSON.parse(refused[0] ?? '{}')).toMatchObject({ host: `attacker.example:${port}` });
  });

  it('answers for localhost and IP addresses, as Prometheus and a local browser name it', async () => {
    const { config } = await opsConfig(ws, 'host-local.yaml', SERVE);
    const server = await startOpsServer(config, quietLogger());
    const port = portOf(server.url);
    try {
      for (const host of [
        `127.0.0.1:${port}`,
        '127.0.0.1',
        `localhost:${port}`,
        'LocalHost.',
        `[::1]:${port}`,
        '10.0.0.5:9464',
      ]) {
        expect((await get(port, '/healthz', host)).status, host).toBe(200);
        const metrics = await get(port, '/metrics', host);
        expect(metrics.status, host).toBe(200);
        expect(metrics.body).toContain('licbridge_');
      }
      expect((await get(port, '/dashboard/api/queues', `localhost:${port}`, BASIC)).status).toBe(200);
    } finally {
      await server.close();
    }
  });

  it('answers for the names in serve.allowedHosts, as a reverse proxy on the host passes them', async () => {
    const { config } = await opsConfig(
      ws,
      'host-allowed.yaml',
      `serve: { port: 0, allowedHosts: [ops.district.example] }\nmetrics: { lagIntervalMs: 0 }\n`,
    );
    const server = await startOpsServer(config, quietLogger());
    const port = portOf(server.url);
    try {
      expect((await get(port, '/metrics', 'ops.district.example')).status).toBe(200);
      expect((await get(port, '/metrics', 'OPS.District.Example:443')).status).toBe(200);
      expect((await get(port, '/metrics', 'ops.district.example.attacker.example')).status).toBe(421);
      expect((await get(port, '/metrics', 'other.district.example')).status).toBe(421);
    } finally {
      await server.close();
    }
  });

  it('checks no Host header when bound to all addresses', async () => {
    const { config } = await opsConfig(
      ws,
      'host-any.yaml',
      `serve: { port: 0, host: 0.0.0.0 }\nmetrics: { lagIntervalMs: 0 }\n`,
    );
    const server = await startOpsServer(config, quietLogger());
    try {
      expect((await get(portOf(server.url), '/healthz', 'ops.district.example')).status).toBe(200);
    } finally {
      await server.close();
    }
  });

  it('refuses an allowed host written with a port, naming the setting', async () => {
    const load = opsConfig(ws, 'host-port.yaml', `serve: { allowedHosts: ["ops.district.example:443"] }\n`);
    await expect(load).rejects.toMatchObject({ code: 'LB_CONFIG_INVALID' });
    await expect(load).rejects.toThrow(/allowedHosts/);
  });
});
