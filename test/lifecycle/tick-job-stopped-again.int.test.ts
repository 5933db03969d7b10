/**
 * A scheduled tick stopped by its worker's shutdown goes back to the queue without spending an
 * attempt (df7a6b6a), so a worker that keeps shutting down — restarted over and over, each time
 * stopping the tick it took — neither stalls the job out nor fails it: the tick never finished,
 * and nothing but a warning per shutdown in the worker's log said so. Stopped as often as a stalled
 * job is let stall (`maxStalledCount`), the tick is recorded lost for `licbridge status`
 * (`lifecycle-tick-lost`) and logged at error, once, and still queued again; the same job then
 * taken by a worker not shutting down finishes the tick, which settles it.
 */
import { randomUUID } from 'node:crypto';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Config } from '../../config/types.js';
import { createLogger } from '../../core/logger.js';
import { createQueues, type QueueSet } from '../../pipelines/queues.js';
import { queueConnection } from '../../pipelines/redis.js';
import { Runtime } from '../../pipelines/runtime.js';
import { lifecycleWorker } from '../../pipelines/workers/check-workers.js';
import { obliterate } from '../support/demo-workspace.js';
import { type ReminderWorkspace, reminderWorkspace } from './reminders-fixture.js';

describe('a scheduled tick stopped by one worker shutdown after another', () => {
  let ws: ReminderWorkspace;
  let queues: QueueSet | undefined;
  const prefix = `test-${randomUUID()}`;
  beforeAll(async () => {
    ws = await reminderWorkspace();
  });
  afterAll(async () => {
    await queues?.close();
    // Every key of the prefix: obliterating the lifecycle queue left the other queues' meta
    // behind in the shared Redis.
    await obliterate(prefix);
    await ws?.close();
  });

  it('is recorded lost for status once stopped maxStalledCount times, and still queued again unspent', {
    timeout: 30_000,
  }, async () => {
    const config = {
      ...ws.config,
      queue: { ...ws.config.queue, prefix },
    } as Readonly<Config>;
    const connection = queueConnection(config.queue.redis);
    queues = createQueues(connection, config.queue.prefix, []);
    const logLines: string[] = [];
    const sink = new Writable({
      write(chunk, _enc, done) {
        logLines.push(String(chunk));
        done();
      },
    });
    const rt = new Runtime(config, createLogger({ level: 'info', destination: sink }));
    // Every worker that takes the tick is shutting down: its stop is aborted before the tick starts.
    const stop = new AbortController();
    stop.abort('worker shutdown');
    const base = { connection, prefix: config.queue.prefix, lockDuration: 5000, stalledInterval: 5000 };
    const worker = lifecycleWorker(rt, { base: { ...base, maxStalledCount: 3 }, queues }, stop.signal);
    worker.on('error', () => undefined);
    let taken = 0;
    const takenFive = new Promise<void>((resolve) => {
      worker.on('active', () => {
        taken += 1;
        if (taken === 5) resolve();
      });
    });
    try {
      await queues.lifecycle.add('lifecycle', {}, { jobId: 'tick-1' });
      await takenFive;
    } finally {
      await worker.close();
    }
    const job = await queues.lifecycle.getJob('tick-1');
    expect(['delayed', 'waiting', 'wait']).toContain(await job?.getState());
    expect(job?.attemptsMade).toBe(0);
    const ledger = await rt.ledger();
    const lost = await ledger.lostTicks.unsettled();
    expect(lost.map((t) => t.jobId)).toEqual(['tick-1']);
    expect(lost[0]?.reason).toMatch(/stopped by 3 worker shutdowns/);
    // Said in the worker's log at error too, as a tick lost otherwise is (workers.ts), once.
    const said = logLines.map((l) => JSON.parse(l)).filter((l) => /tick lost/.test(l.msg));
    expect(said).toMatchObject([{ level: 50, jobId: 'tick-1', error: lost[0]?.reason }]);
    // A worker not shutting down then takes the same job and finishes the tick: the loss is settled.
    const finisher = lifecycleWorker(rt, { base: { ...base, maxStalledCount: 3 }, queues });
    finisher.on('error', () => undefined);
    try {
      const finished = new Promise<void>((resolve) => finisher.on('completed', () => resolve()));
      await finished;
    } finally {
      await finisher.close();
    }
    const after = await ledger.lostTicks.unsettled();
    await rt.close();
    expect(after).toEqual([]);
  });
});
