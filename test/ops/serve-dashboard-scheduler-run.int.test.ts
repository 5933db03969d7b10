/**
 * The dashboard cannot run a job scheduler now: a full check's scheduler run at once would start a
 * check whenever it is asked, outside its source's `readWindow` too, which the config refuses for
 * every schedule. The commands that run the same work now say so in their own words.
 */
import { randomUUID } from 'node:crypto';
import { Queue } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type OpsServer, startOpsServer } from '../../pipelines/observability/server.js';
import { queueConnection } from '../../pipelines/redis.js';
import { createDemoWorkspace, type DemoWorkspace } from '../support/demo-workspace.js';
import { opsConfig, quietLogger } from './ops-fixtures.js';

const TOKEN = `scheduler-run-${randomUUID()}`;
const HEADERS = { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' };

let ws: DemoWorkspace;
let server: OpsServer;
let reconcile: Queue;

beforeAll(async () => {
  ws = await createDemoWorkspace({ rows: 1 });
  const { config } = await opsConfig(
    ws,
    'serve-scheduler-run.yaml',
    `serve: { port: 0, auth: { token: ${TOKEN} } }\nmetrics: { lagIntervalMs: 0 }\n`,
  );
  server = await startOpsServer(config, quietLogger());
  reconcile = new Queue('reconcile', {
    connection: queueConnection(config.queue.redis),
    prefix: config.queue.prefix,
  });
}, 60_000);

afterAll(async () => {
  await server?.close();
  await reconcile?.obliterate({ force: true });
  await reconcile?.close();
  await ws?.cleanup();
});

describe('serve: the dashboard and a job scheduler', () => {
  it("refuses to run a full check's scheduler now, and queues no check", async () => {
    const id = `reconcile-p-${randomUUID().slice(0, 8)}`;
    // Once a year, far from now: its own pending tick is the only job it holds.
    await reconcile.upsertJobScheduler(
      id,
      { pattern: '0 3 1 1 *' },
      { name: 'reconcile', data: { pipeline: 'p' } },
    );
    const before = await reconcile.getJobCounts('waiting', 'delayed', 'active', 'prioritized');

    const res = await fetch(`${server.url}/dashboard/api/queues/reconcile/job-schedulers/${id}/run`, {
      method: 'PUT',
      headers: HEADERS,
      body: '{}',
    });
    const text = await res.text();
    expect(res.status).toBe(403);
    expect(text).toContain('dashboard: refused');
    expect(text).toContain('licbridge reconcile');
    expect(await reconcile.getJobCounts('waiting', 'delayed', 'active', 'prioritized')).toEqual(before);
  });
});
