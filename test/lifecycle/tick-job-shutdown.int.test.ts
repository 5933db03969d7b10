/**
 * `licbridge worker` shutting down (SIGTERM) while its scheduled tick sends reminders. The tick did
 * not hear of it: the close waited for the whole tick, up to `--shutdown-timeout`, then stopped it
 * hard mid-send, and the reminder out at that moment was sent again by the next tick once its
 * claim ran out. Now the worker set's close stops the tick as `lifecycle run`'s signal does — the
 * send in flight is recorded, nothing further is asked of the gateway, the rest stays pending and
 * unclaimed — and its job goes back to the queue without spending an attempt, for another worker.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Config } from '../../config/types.js';
import { createQueues, type QueueSet } from '../../pipelines/queues.js';
import { queueConnection } from '../../pipelines/redis.js';
import { Runtime } from '../../pipelines/runtime.js';
import { startWorkers } from '../../pipelines/workers.js';
import { obliterate } from '../support/demo-workspace.js';
import { holdingGateway } from './reminder-gateways.js';
import { type ReminderWorkspace, reminderWorkspace } from './reminders-fixture.js';

describe('a scheduled tick when its worker shuts down', () => {
  let ws: ReminderWorkspace;
  let gw: Awaited<ReturnType<typeof holdingGateway>>;
  let queues: QueueSet | undefined;
  const prefix = `test-${randomUUID()}`;
  const savedToday = process.env.LICBRIDGE_TODAY;
  beforeAll(async () => {
    ws = await reminderWorkspace();
    gw = await holdingGateway();
    process.env.LICBRIDGE_TODAY = '2027-03-10';
  });
  afterAll(async () => {
    if (savedToday === undefined) delete process.env.LICBRIDGE_TODAY;
    else process.env.LICBRIDGE_TODAY = savedToday;
    await queues?.close();
    // Every key of the prefix: obliterating the lifecycle queue left the other queues' meta
    // behind in the shared Redis.
    await obliterate(prefix);
    gw?.release();
    await gw?.close();
    await ws?.close();
  });

  it('records the send in flight, asks nothing further, and queues the tick again unspent', async () => {
    for (const n of [1, 2, 3]) await ws.commit(n, '2027-03-31', { phone: `1391234${n}000` });
    const base = ws.withGateway(gw.url, 5000);
    const config = { ...base, queue: { ...base.queue, prefix } } as Readonly<Config>;
    const connection = queueConnection(config.queue.redis);
    queues = createQueues(connection, config.queue.prefix, ['province']);
    const rt = new Runtime(config, ws.rt.logger);
    try {
      const workers = startWorkers(rt, {
        connection,
        prefix: config.queue.prefix,
        queues,
        stages: ['lifecycle'],
      });
      await queues.lifecycle.add('lifecycle', {}, { jobId: 'tick-1' });
      await gw.held;
      const closing = workers.close();
      // The gateway answers the message it holds once the close has begun.
      setTimeout(() => gw.release(), 300);
      await closing;
    } finally {
      await rt.close();
    }
    expect(gw.references).toEqual([`${ws.licenseId(1)}:1:30`]);
    const rows = await ws.ledger.reminders.forLicenses([1, 2, 3].map(ws.licenseId));
    expect(rows.map((r) => [r.licenseId, r.state])).toEqual([
      [ws.licenseId(1), 'sent'],
      [ws.licenseId(2), 'pending'],
      [ws.licenseId(3), 'pending'],
    ]);
    const keys = rows.filter((r) => r.state === 'pending').map((r) => r.key);
    expect((await ws.ledger.reminders.claim(keys, 'tick:next', 60_000)).claimed.sort()).toEqual(keys.sort());
    const job = await queues.lifecycle.getJob('tick-1');
    expect(['delayed', 'waiting', 'wait']).toContain(await job?.getState());
    expect(job?.attemptsMade).toBe(0);
  });
});
