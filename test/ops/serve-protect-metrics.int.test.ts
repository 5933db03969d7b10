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
    const cfg = await config('protect-nobody.yaml', '{ port: 0, protectMetrics: true }');
    const started = startOpsServer(cfg, logger);
    await expect(started).rejects.toMatchObject({ code: 'LB_CONFIG_INVALID' });
    await expect(started).rejects.toThrow(/serve\.protectMetrics.*serve\.auth/);
    // Started anyway: close it, or the test would leave it listening.
    await started.then((s) => s.close()).catch(() => undefined);
  });
});
