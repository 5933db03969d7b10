// biome-ignore-all lint/suspicious/noTemplateCurlyInString: YAML text with `${env:…}` config references.
import { once } from 'node:events';
import { writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { type AddressInfo, connect } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../config/loader.js';
import { createLogger } from '../../core/logger.js';
import { startOpsServer } from '../../pipelines/observability/server.js';
import { createDemoWorkspace, type DemoWorkspace, demoConfigYaml } from '../support/demo-workspace.js';
import { lineLogger } from '../support/log-lines.js';

const PASSWORD = 'hardening-pass-41';
const TOKEN = 'hardening-bearer-token-5x9q';
/** A login the MariaDB on loopback does not know: its refusal names it. */
const LOGIN = 'lb_login_nobody_83';
const BASIC = { authorization: `Basic ${Buffer.from(`ops:${PASSWORD}`).toString('base64')}` };

/** Sends one raw HTTP/1.1 request line (no URL normalisation on the way) and returns the status. */
async function rawStatus(url: string, requestLine: string): Promise<number> {
  const { hostname, port } = new URL(url);
  const socket = connect(Number(port), hostname);
  await once(socket, 'connect');
  socket.write(`${requestLine}\r\nHost: ${hostname}:${port}\r\nConnection: close\r\n\r\n`);
  let text = '';
  for await (const chunk of socket) text += (chunk as Buffer).toString('latin1');
  return Number(/^HTTP\/1\.1 (\d{3})/.exec(text)?.[1]);
}

describe('licbridge serve against hostile clients', () => {
  let ws: DemoWorkspace;
  let platform: Server;
  let heads = 0;
  let platformUrl = '';
  beforeAll(async () => {
    ws = await createDemoWorkspace({ rows: 5 });
    // A scripted platform that counts the HEAD requests /readyz sends it.
    platform = createServer((req, res) => {
      if (req.method === 'HEAD') heads += 1;
      res.end();
    });
    platform.listen(0, '127.0.0.1');
    await once(platform, 'listening');
    platformUrl = `http://127.0.0.1:${(platform.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    platform?.close();
    await ws?.cleanup();
  });

  async function serveConfig(name: string, serve: string) {
    const yaml = demoConfigYaml({ prefix: ws.prefix, simulatorUrl: platformUrl }).replace(
      /(\n {2}market-food: [^\n]*\n)/,
      `$1  department-maria: { kind: mysql, connection: { host: 127.0.0.1, port: 3306, user: ${LOGIN}, database: test } }\n`,
    );
    const file = join(ws.dir, name);
    await writeFile(file, `${yaml}serve: ${serve}\nmetrics: { lagIntervalMs: 0 }\n`);
    return loadConfig({ file });
  }

  it('answers bad request targets with 400 and logs no error', async () => {
    const { logger, lines } = lineLogger('trace');
    const config = await serveConfig('bad-targets.yaml', '{ port: 0 }');
    const server = await startOpsServer(config, logger);
    try {
      expect(await rawStatus(server.url, 'GET //[ HTTP/1.1')).toBe(400);
      expect(await rawStatus(server.url, 'GET * HTTP/1.1')).toBe(400);
      expect(await rawStatus(server.url, 'GET http://[ HTTP/1.1')).toBe(400);
      // Still served: odd but valid targets.
      expect(await rawStatus(server.url, 'GET //healthz HTTP/1.1')).toBe(404);
      expect(await rawStatus(server.url, `GET ${server.url}/healthz HTTP/1.1`)).toBe(200);
    } finally {
      await server.close();
    }
    const errors = lines.map((l) => JSON.parse(l) as { level: number }).filter((l) => l.level >= 50);
    expect(errors).toEqual([]);
  });

  it('serves the dashboard at /dashboard/ too, the base its own page names', async () => {
    const config = await serveConfig(
      'slash.yaml',
      `{ port: 0, auth: { username: ops, password: ${PASSWORD} } }`,
    );
    const server = await startOpsServer(config, createLogger({ level: 'silent' }));
    try {
      const page = await fetch(`${server.url}/dashboard/`, { headers: BASIC });
      expect(page.status).toBe(200);
      const html = await page.text();
      expect(html).toContain('<base href="/dashboard/"');
      expect((await fetch(`${server.url}/dashboard/`)).status).toBe(401);
    } finally {
      await server.close();
    }
  });

  it('refuses a state change sent with Basic credentials but no CSRF token, and makes it with the token', async () => {
    const config = await serveConfig(
      'csrf.yaml',
      `{ port: 0, auth: { username: ops, password: ${PASSWORD}, token: ${TOKEN} } }`,
    );
    const server = await startOpsServer(config, createLogger({ level: 'silent' }));
    const paused = async () => {
      const res = await fetch(`${server.url}/dashboard/api/queues`, { headers: BASIC });
      const body = (await res.json()) as { queues: { name: string; isPaused: boolean }[] };
      return body.queues.find((q) => q.name === 'extract')?.isPaused;
    };
    try {
      const pause = `${server.url}/dashboard/api/queues/extract/pause`;
      const resume = `${server.url}/dashboard/api/queues/extract/resume`;
      // What a page on another site can make a browser send: the cached credentials, a form-like body.
      for (const method of ['PUT', 'POST', 'DELETE']) {
        const forged = await fetch(pause, { method, headers: BASIC });
        expect(forged.status).toBe(403);
      }
      expect(await paused()).toBe(false);
      const wrong = await fetch(pause, { method: 'PUT', headers: { ...BASIC, 'x-xsrf-token': 'guess' } });
      expect(wrong.status).toBe(403);
      expect(await paused()).toBe(false);

      // The dashboard page hands its own scripts the token in the cookie axios reads.
      const page = await fetch(`${server.url}/dashboard`, { headers: BASIC });
      const cookie = page.headers.get('set-cookie') ?? '';
      const token = /XSRF-TOKEN=([^;]+)/.exec(cookie)?.[1] ?? '';
      expect(cookie).toContain('SameSite=Strict');
      expect(token.length).toBeGreaterThan(20);
      const ok = await fetch(pause, { method: 'PUT', headers: { ...BASIC, 'x-xsrf-token': token } });
      expect(ok.status).toBeLessThan(300);
      expect(await paused()).toBe(true);

      // A bearer token is never sent by a browser on its own: no CSRF token needed.
      const bearer = await fetch(resume, { method: 'PUT', headers: { authorization: `Bearer ${TOKEN}` } });
      expect(bearer.status).toBeLessThan(300);
      expect(await paused()).toBe(false);
    } finally {
      await server.close();
    }
  });

  it('/readyz probes platforms and sources once per window however many ask, and tells strangers no login', async () => {
    const config = await serveConfig(
      'readyz.yaml',
      `{ port: 0, readyCacheMs: 600000, checkTimeoutMs: 5000, auth: { username: ops, password: ${PASSWORD} } }`,
    );
    heads = 0;
    const server = await startOpsServer(config, createLogger({ level: 'silent' }));
    try {
      const burst = await Promise.all(Array.from({ length: 200 }, () => fetch(`${server.url}/readyz`)));
      const bodies = await Promise.all(burst.map((r) => r.text()));
      for (let i = 0; i < 100; i++) bodies.push(await (await fetch(`${server.url}/readyz`)).text());
      // 300 requests, one round of probes.
      expect(heads).toBe(1);
      expect(burst.every((r) => r.status === 503)).toBe(true);
      const open = JSON.parse(bodies[0] ?? '{}') as { ok: boolean; checks: Record<string, unknown>[] };
      expect(open.checks.find((c) => c.name === 'source:department-maria')).toEqual({
        name: 'source:department-maria',
        ok: false,
      });
      expect(open.checks.find((c) => c.name === 'target:province')).toEqual({
        name: 'target:province',
        ok: true,
      });
      for (const b of bodies) {
        expect(b).not.toContain(LOGIN);
        expect(b).not.toContain('127.0.0.1');
        expect(b).not.toContain('error');
      }
      // With credentials, the reasons — still without the login.
      const detail = await fetch(`${server.url}/readyz`, { headers: BASIC });
      const text = await detail.text();
      expect(
        (JSON.parse(text) as { checks: { name: string; error?: string }[] }).checks.find(
          (c) => c.name === 'source:department-maria',
        )?.error,
      ).toMatch(/denied|refused|user/i);
      expect(text).not.toContain(LOGIN);
      expect(heads).toBe(1);
    } finally {
      await server.close();
    }
  });
});
