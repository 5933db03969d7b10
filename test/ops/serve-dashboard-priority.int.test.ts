/**
 * The dashboard refuses to move a delayed job's time, since that hides the work it holds; its
 * "change priority" did the same unrefused: a waiting job given the lowest priority waits behind
 * every job queued after it, for as long as new ones come, while `status` counts it as on its way.
 * Refused now like the delay, and the job keeps the place licbridge gave it.
 */
import { Queue } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type OpsServer, startOpsServer } from '../../pipelines/observability/server.js';
import { createDemoWorkspace, type DemoWorkspace } from '../support/demo-workspace.js';
import { opsConfig, quietLogger } from './ops-fixtures.js';

const TOKEN = `priority-token-${process.pid}-5r8w`;
const REDIS = { host: '127.0.0.1', port: 6379 };

let ws: DemoWorkspace;
let server: OpsServer;
let queue: Queue;

beforeAll(async () => {
  ws = await createDemoWorkspace({ rows: 1 });
  const { config } = await opsConfig(
    ws,
    'priority.yaml',
    `serve: { port: 0, auth: { token: ${TOKEN} } }\nmetrics: { lagIntervalMs: 0 }\n`,
  );
  server = await startOpsServer(config, quietLogger());
  queue = new Queue('sign', { connection: REDIS, prefix: ws.prefix });
});
afterAll(async () => {
  await server?.close();
  await queue?.obliterate({ force: true }).catch(() => undefined);
  await queue?.close();
  await ws?.cleanup();
});

describe("the dashboard and a job's priority", () => {
  it('refuses to change it, and the job keeps its place', async () => {
    await queue.add(
      'sign',
      { pipeline: 'food-business-licenses', runId: 'r1', versionIds: [1] },
      { jobId: 'waiting-1' },
    );
    const res = await fetch(`${server.url}/dashboard/api/queues/sign/waiting-1/priority`, {
      method: 'PATCH',
      headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ priority: 2_097_151 }),
    });
    const body = await res.text();
    expect(res.status).toBe(403);
    expect(body).toContain('dashboard: refused');
    const job = await queue.getJob('waiting-1');
    expect(job?.priority ?? 0).toBe(0);
    expect(await job?.getState()).toBe('waiting');
  });
});
