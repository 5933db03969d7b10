/**
 * A deliver job Redis loses while a worker runs it (a flush, a restart without persistence): the
 * worker goes on with it in memory, but the move it then asks of the job fails on the missing
 * key. A job that waited for a platform review, or retried a delivery the platform failed, was
 * dropped so: its deliveries stayed open with no job to finish them, and in a deployment of
 * workers alone the run stayed `running` until the pipeline's next scheduled run. The job is now
 * queued again (pipelines/workers/lost-jobs.ts): every delivery ends accepted, the platform holds
 * each once, and the run ends `done`.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type {
  DeliveryItem,
  DeliveryOutcome,
  SubmittedDelivery,
  TargetAdapter,
} from '../../adapters/platforms/target.js';
import { DELIVER_BACKOFF } from '../../pipelines/delivery-policy.js';
import type { WorkerSet } from '../../pipelines/workers.js';
import { wipeAtOnce } from '../support/redis-wipe.js';
import { until } from '../support/until.js';
import { type DeliveriesWaiting, deliveriesWaiting, PIPELINE } from './deliveries-waiting.js';

const RUN = 'lost-job-run';

/**
 * A platform whose first request empties Redis before it answers, and answers its first item with
 * `first` (a review, or a failure that may pass), the rest accepted; later requests are accepted,
 * and a status request is answered with what it holds.
 */
function platformWipingRedis(prefix: string, first: 'submitted' | 'failed') {
  const held = new Map<string, number>();
  let wiped = false;
  const platform: TargetAdapter = {
    name: 'province',
    kind: 'rest-json',
    deliver: async (items: readonly DeliveryItem[]): Promise<DeliveryOutcome[]> => {
      const firstCall = !wiped;
      if (firstCall) {
        wiped = true;
        await wipeAtOnce(prefix);
      }
      return items.map((i, n): DeliveryOutcome => {
        if (firstCall && n === 0 && first === 'failed')
          return { key: i.key, state: 'failed', retryable: true, reasons: ['busy, try again'] };
        held.set(i.key, (held.get(i.key) ?? 0) + 1);
        return firstCall && n === 0
          ? { key: i.key, state: 'submitted', platformId: `P-${i.key}` }
          : { key: i.key, state: 'accepted', platformId: `P-${i.key}` };
      });
    },
    poll: async (asked: readonly SubmittedDelivery[]): Promise<DeliveryOutcome[]> =>
      asked.map((a) =>
        held.has(a.key)
          ? { key: a.key, state: 'accepted', platformId: `P-${a.key}` }
          : { key: a.key, state: 'failed', retryable: true, reasons: ['no result for the key'] },
      ),
    close: async () => undefined,
  };
  return { platform, held };
}

let fx: DeliveriesWaiting | undefined;
let workers: WorkerSet | undefined;

afterEach(async () => {
  await workers?.close();
  workers = undefined;
  await fx?.close();
  fx = undefined;
});

describe.each([
  { first: 'submitted' as const, what: 'waits for a platform review' },
  { first: 'failed' as const, what: 'retries a delivery the platform failed' },
])('a deliver job Redis loses while it runs, then $what', ({ first }) => {
  it('is queued again: every delivery accepted once and the run done', async () => {
    fx = await deliveriesWaiting({ rows: 4, runId: RUN });
    const ledger = await fx.rt.ledger();
    const { platform, held } = platformWipingRedis(fx.config.queue.prefix, first);
    const versionIds = await fx.takeOver(platform);
    await fx.deliver.add(
      'deliver',
      { pipeline: PIPELINE, runId: RUN, target: 'province', versionIds },
      { jobId: `deliver-lost-${first}`, attempts: 3, backoff: { type: DELIVER_BACKOFF, delay: 100 } },
    );
    workers = fx.start(['deliver']);

    await until(async () => (await ledger.getRun(RUN))?.state === 'done', 60_000, {
      what: 'the run done',
    });
    const rows = await ledger.ensureDeliveries(versionIds, 'province');
    expect(rows.map((r) => r.state)).toEqual(versionIds.map(() => 'accepted'));
    expect([...held.keys()].sort()).toEqual(rows.map((r) => r.key).sort());
    expect([...held.values()]).toEqual(rows.map(() => 1));
    expect(await fx.owedToProvince()).toBe(0);
  }, 90_000);
});
