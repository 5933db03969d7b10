/**
 * A platform's Retry-After asks every caller to wait: docs/sync.md says it stops every worker of
 * the target, on every host, taking a deliver job for that long. The worker answered so calls
 * `worker.rateLimit`, which sets the queue's rate-limit key in Redis; BullMQ's moveToActive reads
 * that key only for a worker configured with a limiter, so a worker process on another host (or a
 * second `licbridge worker` on this one) went on taking deliver jobs and sent their requests into
 * the wait. Here two worker processes work the same queue, each with its own send pause (its own
 * process) and one platform behind both: the first asks its first request to wait, and no request
 * may reach the platform before that wait ends.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SendPause } from '../../adapters/platforms/shared/send-pause.js';
import type { DeliveryItem, DeliveryOutcome, TargetAdapter } from '../../adapters/platforms/target.js';
import { createLogger } from '../../core/logger.js';
import { createQueues, type QueueSet } from '../../pipelines/queues.js';
import { queueConnection } from '../../pipelines/redis.js';
import { Runtime } from '../../pipelines/runtime.js';
import { startWorkers, type WorkerSet } from '../../pipelines/workers.js';
import { askedToWait, heldBack, noteWait } from '../support/retry-after-answers.js';
import { until } from '../support/until.js';
import { type DeliveriesWaiting, deliveriesWaiting, PIPELINE } from './deliveries-waiting.js';

const RUN = 'retry-after-every-worker-run';
/** The wait the platform asks for, ms: long enough for the second process to start within it. */
const WAIT_MS = 3000;
const BUSY = 'target province: batch upload to http://127.0.0.1:9 failed: HTTP 429';

/** One platform behind every process: the first request is asked to wait, and so is any within it. */
const platform = {
  /** Date.now() until which the platform asked every caller to wait. */
  waitUntil: 0,
  asked: 0,
  /** Requests that reached the platform while its wait held, after the one that started it. */
  intoWait: [] as string[],
  accepted: new Map<string, number>(),
};

/** A worker process's target: its own send pause, as each process holds its own. */
function host(name: string): TargetAdapter {
  const pause = new SendPause('province', `http://${name}-${randomUUID()}.test`);
  return {
    name: 'province',
    kind: 'rest-json',
    deliver: async (items: readonly DeliveryItem[]): Promise<DeliveryOutcome[]> => {
      const held = heldBack(pause, 'batch upload', items);
      if (held) return held;
      const now = Date.now();
      if (platform.asked === 0 || now < platform.waitUntil) {
        if (platform.asked > 0) platform.intoWait.push(`${name}: ${platform.waitUntil - now} ms left`);
        else platform.waitUntil = now + WAIT_MS;
        platform.asked += 1;
        const left = platform.waitUntil - now;
        noteWait(pause, BUSY, left);
        return askedToWait(items, BUSY, left);
      }
      for (const i of items) platform.accepted.set(i.key, (platform.accepted.get(i.key) ?? 0) + 1);
      return items.map((i) => ({ key: i.key, state: 'accepted' }));
    },
    waitLeft: () => pause.left(),
    close: async () => undefined,
  };
}

let fx: DeliveriesWaiting;
let other: { rt: Runtime; queues: QueueSet } | undefined;
const workers: WorkerSet[] = [];

beforeAll(async () => {
  fx = await deliveriesWaiting({ rows: 4, runId: RUN });
}, 60_000);

afterAll(async () => {
  for (const w of workers) await w.close();
  await other?.queues.close();
  await other?.rt.close();
  await fx?.close();
});

describe("a platform's Retry-After, with two worker processes on one deliver queue", () => {
  it('holds the other process too: no request reaches the platform within the wait', async () => {
    const versionIds = await fx.takeOver(host('first'));
    expect(versionIds.length).toBeGreaterThan(1);
    const half = Math.ceil(versionIds.length / 2);
    const job = (ids: number[]) => ({ pipeline: PIPELINE, runId: RUN, target: 'province', versionIds: ids });

    // The first process takes a job; the platform asks it to wait, and the job goes back.
    const first = await fx.deliver.add('deliver', job(versionIds.slice(0, half)), { attempts: 1 });
    workers.push(fx.start(['deliver']));
    await until(async () => platform.asked > 0 && (await first.getState()) === 'waiting');

    // A second worker process of the same queue, started within the wait, and a job for it.
    const config = fx.config;
    const silent = createLogger({ level: 'silent' });
    const rt = new Runtime(config, silent);
    const second = host('second');
    (rt as unknown as { target: () => Promise<TargetAdapter> }).target = async () => second;
    const queues = createQueues(
      queueConnection(config.queue.redis),
      config.queue.prefix,
      ['province'],
      silent,
    );
    other = { rt, queues };
    workers.push(
      startWorkers(rt, {
        connection: queueConnection(config.queue.redis),
        prefix: config.queue.prefix,
        queues,
        stages: ['deliver'],
      }),
    );
    await fx.deliver.add('deliver', job(versionIds.slice(half)), { attempts: 1 });

    const ledger = await fx.rt.ledger();
    await until(async () => {
      const rows = await ledger.ensureDeliveries(versionIds, 'province');
      return rows.every((r) => r.state === 'accepted');
    });

    expect(platform.intoWait).toEqual([]);
    expect(platform.asked).toBe(1);
    expect([...platform.accepted.values()]).toEqual(versionIds.map(() => 1));
  }, 90_000);
});
