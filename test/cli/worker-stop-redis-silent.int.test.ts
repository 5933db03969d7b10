/**
 * `licbridge worker` stopped (SIGTERM) while its Redis has stopped answering, its connections
 * still open: its workers are stopped hard and their connections dropped, but its queues were only
 * given their close (BullMQ's QUIT, never answered) within the shutdown timeout and then left open,
 * and the process ended with `process.exit` past them. In a process that goes on (a test's, as
 * here) they stayed open for good. They are now dropped as `run`'s are, and the worker stops as it
 * does with Redis answering.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { licbridge } from '../support/cli.js';
import { createDemoWorkspace, type DemoWorkspace } from '../support/demo-workspace.js';
import { type SilentProxy, silentProxy } from '../support/silent-proxy.js';
import { until } from '../support/until.js';

/** Stops the in-process command as a signal would: its own SIGTERM listeners, called once. */
function sendSigterm(before: ReadonlySet<unknown>): void {
  for (const l of process.listeners('SIGTERM')) {
    if (before.has(l)) continue;
    process.removeListener('SIGTERM', l);
    (l as (signal: string) => void)('SIGTERM');
  }
}

/** A demo workspace whose Redis is reached through a silent proxy, made before and removed after the file's tests. */
function behindProxy(): { ws: () => DemoWorkspace; proxy: () => SilentProxy } {
  let ws: DemoWorkspace;
  let proxy: SilentProxy;
  beforeAll(async () => {
    ws = await createDemoWorkspace({ rows: 1 });
    proxy = await silentProxy(6379);
    const text = await readFile(ws.configFile, 'utf8');
    await writeFile(ws.configFile, text.replace('redis://127.0.0.1:6379', `redis://127.0.0.1:${proxy.port}`));
  });
  afterAll(async () => {
    await proxy?.close();
    await ws?.cleanup();
  });
  return { ws: () => ws, proxy: () => proxy };
}

/**
 * `licbridge worker` in process, and whether it has said `worker: started` yet. It works no
 * lifecycle stage: a worker finding the day's tick due while its schedule was missing from Redis
 * (past 00:05 in Shanghai, 16:05 UTC, on a fresh workspace) queues it at its start, and one that
 * took it up just before the stop had a job in flight, which the second test says there is not.
 */
function startWorker(ws: DemoWorkspace): { stopped: ReturnType<typeof licbridge>; started: () => boolean } {
  let started = false;
  const args = ['worker', '--stages', 'extract,sign,deliver,reconcile', '--shutdown-timeout', '2000'];
  const stopped = licbridge([...args, '--config', ws.configFile], {
    cwd: ws.dir,
    env: { LICBRIDGE_LOG_LEVEL: 'info' },
    timeoutMs: 60_000,
    onStderr: (text) => {
      started ||= text.includes('worker: started');
    },
  });
  return { stopped, started: () => started };
}

/** Every connection the worker opened through the proxy closed (a grace for the last FINs). */
async function expectNoneOpen(proxy: SilentProxy): Promise<void> {
  await until(() => proxy.open === 0, 5_000, { what: "the worker's connections closed" }).catch(
    () => undefined,
  );
  expect(proxy.open).toBe(0);
}

describe('licbridge worker stopped while Redis stops answering', () => {
  const made = behindProxy();

  it('stops with none of its connections left open', async () => {
    const before = new Set(process.listeners('SIGTERM'));
    const worker = startWorker(made.ws());
    await until(worker.started, 30_000, { what: 'worker: started' });
    made.proxy().silence();
    sendSigterm(before);
    const stopped = await worker.stopped;
    // A connection left open comes back as a null status ("as a process it would not exit").
    expect(stopped.status, stopped.stderr).toBe(0);
    expect(stopped.stderr).toContain('worker: stopped');
    await expectNoneOpen(made.proxy());
  }, 90_000);

  it('says what its close waited on: Redis, not jobs, when none was running', async () => {
    made.proxy().speak();
    const before = new Set(process.listeners('SIGTERM'));
    const worker = startWorker(made.ws());
    await until(worker.started, 30_000, { what: 'worker: started' });
    // No job is queued: none is running when Redis falls silent and the stop comes.
    made.proxy().silence();
    sendSigterm(before);
    const stopped = await worker.stopped;
    expect(stopped.status, stopped.stderr).toBe(0);
    expect(stopped.stderr).not.toContain('in-flight jobs did not finish in time');
    expect(stopped.stderr).toContain(
      'worker: no job was running, but the close did not finish in time: Redis did not answer; stopping hard',
    );
  }, 90_000);
});

/**
 * Redis answered the worker's reachability probe (the first connection), then none of the
 * connections its queues and workers opened: looking up its schedules waited for an answer that
 * never came, and only then did the worker listen for its stop. A SIGTERM then went unheard (as a
 * process, Node's default ended it, nothing closed). The worker now listens before its workers
 * start: it stops, without ever saying it started, and drops its connections.
 */
describe('licbridge worker stopped while starting against a Redis that stopped answering', () => {
  const made = behindProxy();

  it('stops without starting, none of its connections left open', async () => {
    made.proxy().silenceFrom(2);
    const before = new Set(process.listeners('SIGTERM'));
    const worker = startWorker(made.ws());
    await until(() => process.listeners('SIGTERM').length > before.size, 30_000, {
      what: 'the worker listening for its stop',
    });
    sendSigterm(before);
    const stopped = await worker.stopped;
    expect(stopped.status, stopped.stderr).toBe(0);
    expect(worker.started()).toBe(false);
    expect(stopped.stderr).toContain('worker: stopped');
    await expectNoneOpen(made.proxy());
  }, 90_000);
});
