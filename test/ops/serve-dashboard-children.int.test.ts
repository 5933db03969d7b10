/**
 * The dashboard cannot remove a job's unprocessed children: they are jobs that have not run, and
 * removing them drops their work as removing any unfinished job would. bull-board's purge of its
 * recorded metrics history is not served at all: the board records none (no history provider).
 */
import { randomUUID } from 'node:crypto';
import { FlowProducer, Queue } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type OpsServer, startOpsServer } from '../../pipelines/observability/server.js';
import { queueConnection } from '../../pipelines/redis.js';
import { createDemoWorkspace, type DemoWorkspace } from '../support/demo-workspace.js';
import { opsConfig, quietLogger } from './ops-fixtures.js';

const TOKEN = `children-${randomUUID()}`;
const HEADERS = { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' };

let ws: DemoWorkspace;
let server: OpsServer;
let extract: Queue;
let sign: Queue;
let flows: FlowProducer;

beforeAll(async () => {
  ws = await createDemoWorkspace({ rows: 1 });
  const { config } = await opsConfig(
    ws,
    'serve-children.yaml',
    `serve: { port: 0, auth: { token: ${TOKEN} } }\nmetrics: { lagIntervalMs: 0 }\n`,
  );
  const connection = queueConnection(config.queue.redis);
  const prefix = config.queue.prefix;
  server = await startOpsServer(config, quietLogger());
  extract = new Queue('extract', { connection, prefix });
  sign = new Queue('sign', { connection, prefix });
  flows = new FlowProducer({ connection, prefix });
}, 60_000);

afterAll(async () => {
  await server?.close();
  for (const q of [extract, sign]) {
    await q?.obliterate({ force: true });
    await q?.close();
  }
  await flows?.close();
  await ws?.cleanup();
});

async function send(path: string, method: string): Promise<{ status: number; text: string }> {
  const res = await fetch(`${server.url}/dashboard/api/${path}`, { method, headers: HEADERS, body: '{}' });
  return { status: res.status, text: await res.text() };
}

describe('serve: the dashboard and a job with children', () => {
  it("refuses to remove a job's unprocessed children, and the children stay", async () => {
    const flow = await flows.add({
      name: 'extract',
      queueName: 'extract',
      data: { pipeline: 'p', runId: 'children-run' },
      children: [{ name: 'sign', queueName: 'sign', data: { pipeline: 'p', runId: 'children-run' } }],
    });
    const parent = String(flow.job.id);
    const child = String(flow.children?.[0]?.job.id);
    expect(await sign.getJobState(child)).toBe('waiting');

    const answer = await send(`queues/extract/${parent}/remove-unprocessed-children`, 'PUT');
    expect(answer.status).toBe(403);
    expect(answer.text).toContain('dashboard: refused');
    expect(answer.text).toContain('licbridge run');
    expect(await sign.getJobState(child)).toBe('waiting');
    expect(await extract.getJobState(parent)).toBe('waiting-children');
  });

  it('does not serve a purge of metrics history', async () => {
    const answer = await send('metrics/history/purge', 'POST');
    expect(answer.status).toBe(404);
  });
});
