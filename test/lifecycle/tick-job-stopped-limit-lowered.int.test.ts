/**
 * A scheduled tick stopped by worker shutdowns is recorded lost once stopped `maxStalledCount` times
 * (tick-job-stopped-again). The count was matched exactly: a job already stopped more times than a
 * `maxStalledCount` lowered since (a worker started again with a smaller one) never matched it, and
 * its tick was never recorded lost however often it was stopped. Now a count at or past the limit
 * records it, once, and says so in the log once.
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

describe('a scheduled tick stopped past a maxStalledCount lowered below its count', () => {
  let ws: ReminderWorkspace;
  let queues: QueueSet | undefined;
  const prefix = `test-${randomUUID()}`;
  beforeAll(async () => {
    ws = await reminderWorkspace();
  });
  afterAll(async () => {
    await queues?.close();
    await obliterate(prefix);
    await ws?.close();
  });

  it('is recorded lost for status once, and still queued again unspent', { timeout: 30_000 }, async () => {
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
    const stop = new AbortController();
    stop.abort('worker shutdown');
    const base = { connection, prefix: config.queue.prefix, lockDuration: 5000, stalledInterval: 5000 };
    const worker = lifecycleWorker(rt, { base: { ...base, maxStalledCount: 3 }, queues }, stop.signal);
    worker.on('error', () => undefined);
    let taken = 0;
    const takenThree = new Promise<void>((resolve) => {
      worker.on('active', () => {
        taken += 1;
        if (taken === 3) resolve();
      });
    });
    try {
      // Stopped four times under a limit of five; the worker that takes it now allows three.
      await queues.lifecycle.add('lifecycle', { stops: 4 }, { jobId: 'tick-1' });
      await takenThree;
    } finally {
      await worker.close();
    }
    const job = await queues.lifecycle.getJob('tick-1');
    const lost = await (await rt.ledger()).lostTicks.unsettled();
    await rt.close();
    expect(['delayed', 'waiting', 'wait']).toContain(await job?.getState());
    expect(job?.attemptsMade).toBe(0);
    expect(lost.map((t) => t.jobId)).toEqual(['tick-1']);
    expect(lost[0]?.reason).toMatch(/stopped by 5 worker shutdowns/);
    const said = logLines.map((l) => JSON.parse(l)).filter((l) => /tick lost/.test(l.msg));
    expect(said).toMatchObject([{ level: 50, jobId: 'tick-1', error: lost[0]?.reason }]);
  });
});
