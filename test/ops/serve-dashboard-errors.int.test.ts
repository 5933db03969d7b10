/**
 * A dashboard route that fails answers a plain 500 naming nothing of the job, and the failure is
 * logged through licbridge's logger, masked, never printed raw to the console: a job's stored data
 * may quote what a log line or a browser must not hold, and an error's message quotes it.
 */
import { randomUUID } from 'node:crypto';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { type OpsServer, startOpsServer } from '../../pipelines/observability/server.js';
import { queueConnection } from '../../pipelines/redis.js';
import { createDemoWorkspace, type DemoWorkspace } from '../support/demo-workspace.js';
import { lineLogger } from '../support/log-lines.js';
import { opsConfig } from './ops-fixtures.js';

const TOKEN = `errors-${randomUUID()}`;
const BEARER = { authorization: `Bearer ${TOKEN}` };
/** Synthetic, made here: what the job's stored data quotes. */
const MARK = `Zq${randomUUID().replace(/-/g, '').slice(0, 12)}`;
/** Synthetic, made here: an ID-number-shaped value, which the logger masks wherever it appears. */
const ID_SHAPED = Array.from({ length: 18 }, () => Math.floor(Math.random() * 10)).join('');

let ws: DemoWorkspace;
let server: OpsServer;
let lines: string[];
let extract: Queue;
let redis: Redis;
let prefix: string;

beforeAll(async () => {
  ws = await createDemoWorkspace({ rows: 1 });
  const made = lineLogger();
  lines = made.lines;
  const { config } = await opsConfig(
    ws,
    'serve-errors.yaml',
    `serve: { port: 0, auth: { token: ${TOKEN} } }\nmetrics: { lagIntervalMs: 0 }\n`,
  );
  prefix = config.queue.prefix;
  server = await startOpsServer(config, made.logger);
  redis = new Redis({ host: '127.0.0.1', port: 6379, maxRetriesPerRequest: 1 });
  extract = new Queue('extract', { connection: queueConnection(config.queue.redis), prefix });
}, 60_000);

afterAll(async () => {
  await server?.close();
  await extract?.obliterate({ force: true });
  await extract?.close();
  redis?.disconnect();
  await ws?.cleanup();
});

afterEach(() => {
  vi.restoreAllMocks();
});

/** Everything the console and stderr are sent while `act` runs. */
async function watched<T>(act: () => Promise<T>): Promise<{ result: T; printed: string }> {
  const printed: string[] = [];
  const keep = (...args: unknown[]) => {
    printed.push(args.map((a) => (a instanceof Error ? `${a.message}\n${a.stack}` : String(a))).join(' '));
  };
  vi.spyOn(console, 'error').mockImplementation(keep);
  vi.spyOn(console, 'warn').mockImplementation(keep);
  vi.spyOn(console, 'log').mockImplementation(keep);
  const write = process.stderr.write.bind(process.stderr);
  vi.spyOn(process.stderr, 'write').mockImplementation((chunk: unknown, ...rest: unknown[]) => {
    printed.push(String(chunk));
    return (write as (...a: unknown[]) => boolean)(chunk, ...rest);
  });
  try {
    return { result: await act(), printed: printed.join('\n') };
  } finally {
    vi.restoreAllMocks();
  }
}

async function get(path: string): Promise<{ status: number; text: string }> {
  const res = await fetch(`${server.url}/dashboard/api/queues/${path}`, { headers: BEARER });
  return { status: res.status, text: await res.text() };
}

describe('serve: a failing dashboard route', () => {
  it('answers a job whose stored data cannot be read with a 500 that quotes none of it', async () => {
    const job = await extract.add('extract', { pipeline: 'p', runId: 'r' });
    // Data stored other than as JSON: reading the job throws, and the error quotes the data.
    // (JSON.parse quotes its start; the log line masks a number a person is known by.)
    await redis.hset(`${prefix}:extract:${job.id}`, 'data', `${ID_SHAPED} holder ${MARK}`);
    const { result, printed } = await watched(() => get(`extract/${job.id}`));
    expect(result.status).toBe(500);
    expect(result.text).not.toContain(ID_SHAPED.slice(0, 6));
    expect(result.text).not.toMatch(/JSON|Unexpected/);
    expect(printed).not.toContain(ID_SHAPED.slice(0, 6));
    const logged = lines.filter((l) => l.includes('dashboard: request failed'));
    expect(logged).toHaveLength(1);
    expect(logged[0]).toContain('SyntaxError');
    expect(lines.join('\n')).not.toContain(ID_SHAPED.slice(0, 6));
  });

  it('logs a failure that is not an Error by its kind only, and prints nothing', async () => {
    // A failure thrown as a bare value (as some clients reject): it holds the job's data.
    const before = lines.length;
    const { result, printed } = await watched(async () => {
      vi.spyOn(Queue.prototype, 'getJob').mockRejectedValue(`holder ${MARK}`);
      return get('extract/any-job');
    });
    expect(result.status).toBe(500);
    expect(result.text).not.toContain(MARK);
    expect(printed).not.toContain(MARK);
    const logged = lines.slice(before).filter((l) => l.includes('dashboard: request failed'));
    expect(logged).toHaveLength(1);
    expect(lines.join('\n')).not.toContain(MARK);
  });
});
