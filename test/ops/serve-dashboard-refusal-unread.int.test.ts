/**
 * A dashboard refusal rule that cannot read Redis (the job, or its state) refuses the action: when
 * it cannot be told whether the job has finished, removing it could drop work the ledger still owes.
 * The failure is logged through the serve logger, masked, rather than swallowed by bull-board into
 * a bare 500 that no log line explains.
 */
import { randomUUID } from 'node:crypto';
import { Job, Queue } from 'bullmq';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { type OpsServer, startOpsServer } from '../../pipelines/observability/server.js';
import { queueConnection } from '../../pipelines/redis.js';
import { createDemoWorkspace, type DemoWorkspace } from '../support/demo-workspace.js';
import { lineLogger } from '../support/log-lines.js';
import { opsConfig } from './ops-fixtures.js';

const TOKEN = `unread-${randomUUID()}`;
const HEADERS = { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' };
/** Synthetic, made here: an ID-number-shaped value, which the logger masks wherever it appears. */
const ID_SHAPED = Array.from({ length: 18 }, () => Math.floor(Math.random() * 10)).join('');

let ws: DemoWorkspace;
let server: OpsServer;
let lines: string[];
let extract: Queue;

beforeAll(async () => {
  ws = await createDemoWorkspace({ rows: 1 });
  const made = lineLogger();
  lines = made.lines;
  const { config } = await opsConfig(
    ws,
    'serve-unread.yaml',
    `serve: { port: 0, auth: { token: ${TOKEN} } }\nmetrics: { lagIntervalMs: 0 }\n`,
  );
  server = await startOpsServer(config, made.logger);
  extract = new Queue('extract', {
    connection: queueConnection(config.queue.redis),
    prefix: config.queue.prefix,
  });
}, 60_000);

afterAll(async () => {
  await server?.close();
  await extract?.obliterate({ force: true });
  await extract?.close();
  await ws?.cleanup();
});

afterEach(() => {
  vi.restoreAllMocks();
});

async function removeJob(id: string): Promise<{ status: number; text: string }> {
  const res = await fetch(`${server.url}/dashboard/api/queues/extract/${id}/clean`, {
    method: 'PUT',
    headers: HEADERS,
    body: '{}',
  });
  return { status: res.status, text: await res.text() };
}

describe('serve: a dashboard refusal rule that cannot read Redis', () => {
  it.each([
    ['the job', () => vi.spyOn(Queue.prototype, 'getJob')],
    ['its state', () => vi.spyOn(Job.prototype, 'getState')],
  ])('refuses to remove a job when %s cannot be read, and logs why, masked', async (_what, spy) => {
    const job = await extract.add('extract', { pipeline: 'p', runId: `unread-${randomUUID()}` });
    const before = lines.length;
    spy().mockRejectedValue(new Error(`connection lost while reading ${ID_SHAPED}`));
    const answer = await removeJob(String(job.id));
    vi.restoreAllMocks();

    expect(answer.status).toBe(403);
    expect(answer.text).toContain('dashboard: refused');
    expect(answer.text).toContain('Redis could not be read');
    expect(answer.text).not.toContain(ID_SHAPED.slice(0, 6));
    expect(await extract.getJobState(String(job.id))).toBe('waiting');
    const logged = lines.slice(before).filter((l) => l.includes('dashboard: refusal rule failed'));
    expect(logged).toHaveLength(1);
    expect(logged[0]).toContain('connection lost while reading');
    expect(lines.join('\n')).not.toContain(ID_SHAPED.slice(0, 6));
  });
});
