/**
 * `serve.protectMetrics` closes /metrics, /healthz and /readyz to clients without the
 * credentials of `serve.auth`; without any credentials configured nobody could ever read them
 * (a scrape and a liveness probe fail for good), so serve refuses to start and says why.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../config/loader.js';
import { createLogger } from '../../core/logger.js';
import { startOpsServer } from '../../pipelines/observability/server.js';
import { createDemoWorkspace, type DemoWorkspace, demoConfigYaml } from '../support/demo-workspace.js';

const PASSWORD = 'protect-pass-64';
const TOKEN = 'protect-bearer-token-3q8w';
const logger = createLogger({ level: 'silent' });

let ws: DemoWorkspace;
beforeAll(async () => {
  ws = await createDemoWorkspace({ rows: 3 });
});
afterAll(async () => {
  await ws?.cleanup();
});

async function config(name: string, serve: string) {
  const file = join(ws.dir, name);
  await writeFile(
    file,
    `${demoConfigYaml({ prefix: ws.prefix, simulatorUrl: ws.simulator.url })}serve: ${serve}\nmetrics: { lagIntervalMs: 0 }\n`,
  );
  return loadConfig({ file });
}

describe('serve.protectMetrics', () => {
  it('asks for credentials on /metrics, /healthz and /readyz, and answers with them', async () => {
    const server = await startOpsServer(
      await config(
        'protect.yaml',
        `{ port: 0, protectMetrics: true, auth: { username: ops, password: ${PASSWORD}, token: ${TOKEN} } }`,
      ),
      logger,
    );
    try {
      const basic = { authorization: `Basic ${Buffer.from(`ops:${PASSWORD}`).toString('base64')}` };
      const bearer = { authorization: `Bearer ${TOKEN}` };
      for (const path of ['/metrics', '/healthz', '/readyz']) {
        const open = await fetch(`${server.url}${path}`);
        await open.arrayBuffer();
        expect(open.status, path).toBe(401);
        for (const headers of [basic, bearer]) {
          const res = await fetch(`${server.url}${path}`, { headers });
          await res.arrayBuffer();
          expect([200, 503], path).toContain(res.status);
        }
      }
    } finally {
      await server.close();
    }
  });

  it('refuses to start when no credentials are configured, naming both settings', async () => {
    // A config file saying so is refused on load (test/config/serve-auth-check.test.ts): this is
    // a config built in code.
    const loaded = await config('protect-nobody.yaml', '{ port: 0 }');
    const cfg = { ...loaded, serve: { ...loaded.serve, protectMetrics: true } };
    const started = startOpsServer(cfg, logger);
    await expect(started).rejects.toMatchObject({ code: 'LB_CONFIG_INVALID' });
    await expect(started).rejects.toThrow(/serve\.protectMetrics.*serve\.auth/);
    // Started anyway: close it, or the test would leave it listening.
    await started.then((s) => s.close()).catch(() => undefined);
  });

  it("serve.metricsAuth's token opens /metrics, /healthz and /readyz, never the dashboard", async () => {
    const reader = 'protect-reader-token-8v2m';
    const server = await startOpsServer(
      await config(
        'protect-reader.yaml',
        `{ port: 0, protectMetrics: true, metricsAuth: { token: ${reader} }, auth: { token: ${TOKEN} } }`,
      ),
      logger,
    );
    try {
      const asReader = { authorization: `Bearer ${reader}` };
      for (const path of ['/metrics', '/healthz', '/readyz']) {
        const res = await fetch(`${server.url}${path}`, { headers: asReader });
        const body = await res.text();
        expect([200, 503], path).toContain(res.status);
        // The reasons of failed checks are shown to the reader, as to any holder of credentials.
        if (path === '/readyz') expect(body).toContain('"checks"');
      }
      for (const path of ['/dashboard', '/dashboard/api/queues']) {
        const res = await fetch(`${server.url}${path}`, { headers: asReader });
        await res.arrayBuffer();
        expect(res.status, path).toBe(401);
      }
      const pause = await fetch(`${server.url}/dashboard/api/queues/extract/pause`, {
        method: 'PUT',
        headers: asReader,
      });
      await pause.arrayBuffer();
      expect(pause.status).toBe(401);
      const board = await fetch(`${server.url}/dashboard/api/queues`, {
        headers: { authorization: `Bearer ${TOKEN}` },
      });
      await board.arrayBuffer();
      expect(board.status).toBe(200);
    } finally {
      await server.close();
    }
  });

  it("starts with only metricsAuth set, and refuses a metricsAuth token that is the dashboard's", async () => {
    const reader = 'protect-reader-only-4n6t';
    const alone = await startOpsServer(
      await config(
        'protect-reader-alone.yaml',
        `{ port: 0, protectMetrics: true, metricsAuth: { token: ${reader} } }`,
      ),
      logger,
    );
    try {
      const res = await fetch(`${alone.url}/healthz`, { headers: { authorization: `Bearer ${reader}` } });
      await res.arrayBuffer();
      expect(res.status).toBe(200);
      const open = await fetch(`${alone.url}/healthz`);
      await open.arrayBuffer();
      expect(open.status).toBe(401);
      expect(open.headers.get('www-authenticate')).toContain('Bearer');
    } finally {
      await alone.close();
    }
    // A config file holding it is refused on load (test/config/serve-metrics-token-check.test.ts):
    // this is a config built in code.
    const loaded = await config('protect-reader-same.yaml', `{ port: 0, auth: { token: ${TOKEN} } }`);
    const same = startOpsServer(
      { ...loaded, serve: { ...loaded.serve, protectMetrics: true, metricsAuth: { token: TOKEN } } },
      logger,
    );
    await expect(same).rejects.toThrow(/metricsAuth\.token.*same as.*auth\.token/);
    await same.then((s) => s.close()).catch(() => undefined);
  });
});
