/**
 * A worker set stopped hard (`close(true, ms)`, as `licbridge worker` does past its
 * --shutdown-timeout) while a job that stalled out is being settled against a ledger that does not
 * answer: the stop waits for the settlement at most `ms`, not as long as the ledger's client waits.
 * The ledger is a PostgreSQL address whose server takes connections and never answers.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type Socket } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import type { Config } from '../../config/types.js';
import { SIGN_QUEUE } from '../../pipelines/queues.js';
import { stalledWorker } from '../support/stalled-worker.js';

describe('a hard stop while a stalled-out job is settled', () => {
  const stalled = stalledWorker();
  const sockets = new Set<Socket>();
  const silent = createServer((s) => {
    sockets.add(s);
    s.on('error', () => undefined);
  });

  afterEach(async () => {
    // The ledger's connections end: the settlement fails and every part closes.
    for (const s of sockets) s.destroy();
    await new Promise((r) => silent.close(r));
    await stalled.close();
  });

  it('waits for the settlement no longer than it is told', async () => {
    const { queues } = await stalled.setUp(5, async (loaded) => {
      await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
      const { port } = silent.address() as { port: number };
      return {
        ...loaded,
        ledger: { ...loaded.ledger, url: `postgres://lb:lb@127.0.0.1:${port}/ledger`, retryBudgetMs: 100 },
      } as Config;
    });
    await queues.sign.add('sign', {
      pipeline: 'food-business-licenses',
      runId: randomUUID(),
      versionIds: [1],
    });
    // A worker that takes the job and dies.
    expect(await stalled.takeAndDie(SIGN_QUEUE)).toBeDefined();
    const workers = stalled.live(['sign']);
    for (let i = 0; i < 100 && (await queues.sign.getFailedCount()) === 0; i++) await sleep(100);
    expect(await queues.sign.getFailedCount()).toBe(1);
    // The settlement now waits on the ledger, which does not answer.
    for (let i = 0; i < 50 && sockets.size === 0; i++) await sleep(100);
    expect(sockets.size).toBeGreaterThan(0);

    // Twenty times the bound, and well short of the ledger client's own wait for a connection
    // (60 s): a stop waiting on the settlement would still be waiting.
    const how = await Promise.race([
      workers.close(true, 500).then(() => 'stopped' as const),
      sleep(10_000).then(() => 'still waiting' as const),
    ]);
    expect(how).toBe('stopped');
  }, 60_000);
});
