/**
 * The dashboard lets an operator see jobs, retry failed ones and remove them, but never put data
 * into licbridge's queues: workers trust job data as licbridge's own ledger references, so the
 * board's "add job" and "edit data" are refused, however the request spells the path and with
 * whatever credentials, and nothing reaches Redis.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Queue, Worker } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../config/loader.js';
import { createLogger } from '../../core/logger.js';
import { type OpsServer, startOpsServer } from '../../pipelines/observability/server.js';
import { createDemoWorkspace, type DemoWorkspace, demoConfigYaml } from '../support/demo-workspace.js';

const PASSWORD = 'writes-pass-58';
const TOKEN = 'writes-bearer-token-7k2m';
const BASIC = { authorization: `Basic ${Buffer.from(`ops:${PASSWORD}`).toString('base64')}` };
const BEARER = { authorization: `Bearer ${TOKEN}` };
const REDIS = { host: '127.0.0.1', port: 6379 };
/** What a hostile board user would like a worker to read. */
const FORGED = { pipeline: 'food-business-licenses', runId: 'forged-run', versionIds: [1, 2, 3] };

let ws: DemoWorkspace;
let server: OpsServer;
let queue: Queue;
let csrf = '';

beforeAll(async () => {
  ws = await createDemoWorkspace({ rows: 3 });
  const file = join(ws.dir, 'serve-writes.yaml');
  await writeFile(
    file,
    `${demoConfigYaml({ prefix: ws.prefix, simulatorUrl: ws.simulator.url })}serve: { port: 0, auth: { username: ops, password: ${PASSWORD}, token: ${TOKEN} } }\nmetrics: { lagIntervalMs: 0 }\n`,
  );
  server = await startOpsServer(await loadConfig({ file }), createLogger({ level: 'silent' }));
  queue = new Queue('sign', { connection: REDIS, prefix: ws.prefix });
  const page = await fetch(`${server.url}/dashboard`, { headers: BASIC });
  await page.arrayBuffer();
  csrf = /XSRF-TOKEN=([^;]+)/.exec(page.headers.get('set-cookie') ?? '')?.[1] ?? '';
});

afterAll(async () => {
  await server?.close();
  await queue?.obliterate({ force: true }).catch(() => undefined);
  await queue?.close();
  await ws?.cleanup();
});

/** Every way of signing in that can change something: a bearer token, or Basic with the page's CSRF token. */
function logins(): Record<string, string>[] {
  return [BEARER, { ...BASIC, 'x-xsrf-token': csrf }];
}

async function send(path: string, method: string, headers: Record<string, string>, body: unknown) {
  const res = await fetch(`${server.url}${path}`, {
    method,
    headers: { ...headers, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  await res.arrayBuffer();
  return res.status;
}

describe('the dashboard cannot write job data', () => {
  it('refuses to add a job, under any spelling of the path, and Redis holds none', async () => {
    expect(csrf.length).toBeGreaterThan(20);
    const paths = [
      '/dashboard/api/queues/sign/add',
      '/dashboard/api/queues/sign/%61dd',
      '/dashboard/api/queues/sign/add/',
      '/dashboard/./api/queues/sign/add',
    ];
    for (const path of paths) {
      for (const headers of logins()) {
        const status = await send(path, 'POST', headers, { name: 'sign', data: FORGED, options: {} });
        expect(status, path).toBe(403);
      }
    }
    expect(await queue.count()).toBe(0);
    expect(await queue.getJobs()).toEqual([]);
  });

  it("refuses to replace a job's data, which stays what licbridge wrote", async () => {
    const original = { pipeline: 'food-business-licenses', runId: 'run-1', versionIds: [7] };
    await queue.pause();
    const job = await queue.add('sign', original);
    try {
      for (const headers of logins()) {
        const status = await send(`/dashboard/api/queues/sign/${job.id}/update-data`, 'PATCH', headers, {
          jobData: FORGED,
        });
        expect(status).toBe(403);
      }
      expect((await queue.getJob(String(job.id)))?.data).toEqual(original);
    } finally {
      await job.remove();
      await queue.resume();
    }
  });

  it('still retries a failed job and removes a failed one', async () => {
    const worker = new Worker(
      'sign',
      async () => {
        throw new Error('platform refused the batch');
      },
      { connection: REDIS, prefix: ws.prefix, autorun: false },
    );
    worker.on('error', () => undefined);
    let failures = 0;
    const failed = new Promise<void>((resolve) =>
      worker.on('failed', () => {
        failures += 1;
        if (failures === 2) resolve();
      }),
    );
    const [job, other] = await Promise.all(
      [2, 3].map((n) =>
        queue.add('sign', { pipeline: 'food-business-licenses', runId: `run-${n}`, versionIds: [9 + n] }),
      ),
    );
    void worker.run();
    await failed;
    await worker.close();
    expect(await job?.getState()).toBe('failed');
    expect(await other?.getState()).toBe('failed');

    const [bearer, basic] = logins();
    const retried = await send(`/dashboard/api/queues/sign/${job?.id}/retry`, 'PUT', bearer ?? {}, {});
    expect(retried).toBeLessThan(300);
    expect(await queue.getJobState(String(job?.id))).toBe('waiting');
    // A failed job's work is in the ledger (a dead letter, or a version the next run signs): removable.
    const removed = await send(`/dashboard/api/queues/sign/${other?.id}/clean`, 'PUT', basic ?? {}, {});
    expect(removed).toBeLessThan(300);
    expect(await queue.getJob(String(other?.id))).toBeUndefined();
  });
});
