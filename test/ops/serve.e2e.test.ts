// biome-ignore-all lint/suspicious/noTemplateCurlyInString: YAML text with `${env:…}` config references.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openLedger } from '../../ledger/open-ledger.js';
import { startOpsServer } from '../../pipelines/observability/server.js';
import { runPipelines } from '../../pipelines/run-pipelines.js';
import { licbridge } from '../support/cli.js';
import { createDemoWorkspace, type DemoWorkspace } from '../support/demo-workspace.js';
import { startLoneRedis } from '../support/redis-servers.js';
import { metricValue, opsConfig, quietLogger } from './ops-fixtures.js';

describe('licbridge serve: /metrics, /healthz, /readyz and the dashboard', () => {
  let ws: DemoWorkspace;
  beforeAll(async () => {
    ws = await createDemoWorkspace({ rows: 300 });
  });
  afterAll(async () => ws?.cleanup());

  it('counters move while a demo run works, and settle on the run summary', async () => {
    const { config } = await opsConfig(
      ws,
      'metrics.yaml',
      'serve: { port: 0 }\nmetrics: { cacheMs: 0, lagIntervalMs: 0, processMetrics: false }\n',
    );
    // serve never migrates the ledger (serve-unmigrated.int.test.ts): a deployment's ledger is
    // migrated by its first writing process, as here before serve starts.
    await (await openLedger(config.ledger.url, { logger: quietLogger() })).close();
    const server = await startOpsServer(config, quietLogger());
    const scrape = async () => (await fetch(`${server.url}/metrics`)).text();
    try {
      const before = await scrape();
      expect(metricValue(before, 'licbridge_rows_read_total') ?? 0).toBe(0);
      const during: Promise<string>[] = [];
      const [run] = await runPipelines(config, {
        pipelines: ['food-business-licenses'],
        full: false,
        logger: quietLogger(),
        onProgress: () => {
          during.push(scrape());
        },
      });
      const readDuring = (await Promise.all(during)).map(
        (t) => metricValue(t, 'licbridge_rows_read_total') ?? 0,
      );
      const after = await scrape();
      const labels = { pipeline: 'food-business-licenses' };
      // Monotonic while the run works, and more than one value seen.
      expect(readDuring).toEqual([...readDuring].sort((a, b) => a - b));
      expect(
        new Set([0, ...readDuring, metricValue(after, 'licbridge_rows_read_total', labels)]).size,
      ).toBeGreaterThan(1);
      expect(metricValue(after, 'licbridge_rows_read_total', labels)).toBe(run?.read);
      expect(metricValue(after, 'licbridge_licenses_created_total', labels)).toBe(run?.created);
      expect(metricValue(after, 'licbridge_signatures_total', labels)).toBe(run?.signed);
      expect(
        metricValue(after, 'licbridge_deliveries', { ...labels, target: 'province', state: 'accepted' }),
      ).toBe(run?.delivered.province);
      // Quarantine by reason code adds up to at least the quarantined rows (a row may carry several codes).
      const reasons = after
        .split('\n')
        .filter((l) => l.startsWith('licbridge_rows_quarantined_total{'))
        .map((l) => Number(l.split(' ').pop()));
      expect(reasons.length).toBeGreaterThan(0);
      expect(reasons.reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(run?.quarantined ?? 1);
      expect(metricValue(after, 'licbridge_queue_jobs', { queue: 'sign', state: 'waiting' })).toBe(0);
      expect(after).toContain('licbridge_job_run_seconds_bucket');
      // No license data in any label: no Chinese holder names, no 18-character ID numbers.
      expect(after).not.toMatch(/[\u4e00-\u9fff]/);
      expect(after).not.toMatch(/\b\d{17}[\dX]\b/);

      const health = await fetch(`${server.url}/healthz`);
      expect(health.status).toBe(200);
      // No auth configured: the dashboard is not served at all.
      expect((await fetch(`${server.url}/dashboard`)).status).toBe(404);
    } finally {
      await server.close();
    }
  });

  it('serves the dashboard only with credentials, and binds loopback by default', async () => {
    const { config } = await opsConfig(
      ws,
      'dashboard.yaml',
      'serve: { port: 0, auth: { username: ops, password: "${env:LB_TEST_OPS_PASSWORD:-s3cret-pass}" } }\nmetrics: { lagIntervalMs: 0 }\n',
    );
    const server = await startOpsServer(config, quietLogger());
    try {
      expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect((await fetch(`${server.url}/dashboard`)).status).toBe(401);
      const wrong = Buffer.from('ops:nope').toString('base64');
      expect(
        (await fetch(`${server.url}/dashboard`, { headers: { authorization: `Basic ${wrong}` } })).status,
      ).toBe(401);
      expect((await fetch(`${server.url}/dashboard/api/queues`)).status).toBe(401);
      const good = { authorization: `Basic ${Buffer.from('ops:s3cret-pass').toString('base64')}` };
      const page = await fetch(`${server.url}/dashboard`, { headers: good });
      expect(page.status).toBe(200);
      expect(await page.text()).toContain('<html');
      const api = await fetch(`${server.url}/dashboard/api/queues`, { headers: good });
      expect(api.status).toBe(200);
      const body = (await api.json()) as { queues: { name: string }[] };
      expect(body.queues.map((q) => q.name)).toEqual(
        expect.arrayContaining(['extract', 'sign', 'deliver-province']),
      );
    } finally {
      await server.close();
    }
  });

  it('exits 2 naming the port when it cannot listen, instead of hanging with nothing served', async () => {
    const busy = createServer();
    await new Promise<void>((r) => busy.listen(0, '127.0.0.1', r));
    const port = (busy.address() as AddressInfo).port;
    const { file } = await opsConfig(ws, 'busy.yaml', 'metrics: { lagIntervalMs: 0 }\n');
    try {
      // In process (../support/cli-in-process.ts): a command that hangs, or ends with a server or
      // connection left open (which would keep a process alive), comes back with a null status.
      const r = await licbridge(['serve', '--port', String(port), '--config', file], {
        env: { LICBRIDGE_LOG_LEVEL: 'silent' },
        timeoutMs: 20_000,
      });
      expect({ code: r.status, stderr: r.stderr }).toEqual({
        code: 2,
        stderr: expect.stringContaining(`serve: cannot listen on 127.0.0.1:${port}: EADDRINUSE`),
      });
    } finally {
      busy.close();
    }
  });

  it('/readyz fails while Redis is stopped and recovers when it returns', async () => {
    let redis = await startLoneRedis();
    const { port } = redis;
    const { config } = await opsConfig(
      ws,
      'readyz.yaml',
      // readyCacheMs at its least (default 5 s): each change is noticed by the next round of checks.
      'serve: { port: 0, checkTimeoutMs: 1000, readyCacheMs: 250 }\nmetrics: { lagIntervalMs: 0 }\n',
      `redis://127.0.0.1:${port}`,
    );
    const ready = async () => {
      const res = await fetch(`${(server as { url: string }).url}/readyz`);
      return { status: res.status, body: (await res.json()) as { checks: { name: string; ok: boolean }[] } };
    };
    // Polls a bounded number of times: Redis takes a moment to start or to be noticed.
    const until = async (want: number) => {
      let last = await ready();
      for (let i = 0; i < 50 && last.status !== want; i++) {
        await new Promise((r) => setTimeout(r, 200));
        last = await ready();
      }
      return last;
    };
    const server = await startOpsServer(config, quietLogger());
    try {
      expect((await until(200)).status).toBe(200);
      await redis.stop();
      const down = await until(503);
      expect(down.status).toBe(503);
      expect(down.body.checks.find((c) => c.name === 'redis')?.ok).toBe(false);
      expect(down.body.checks.find((c) => c.name === 'ledger')?.ok).toBe(true);
      redis = await startLoneRedis({ port });
      expect((await until(200)).status).toBe(200);
    } finally {
      await server.close();
      await redis.stop();
    }
  });
});
