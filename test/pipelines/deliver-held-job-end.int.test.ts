/**
 * A deliver job whose deliveries are held back through its last attempt (a target that waits for
 * license files none of which is issued) ends with them as dead letters saying what they waited
 * for, and completes: nothing is left `pending` with no job to send it. Before, the job failed
 * with "still wait after 200 checks" and every delivery stayed pending until a sweep or the next
 * scheduled run (deliver-deferrals.ts, deliver-worker.ts).
 */
import type { Queue } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DeliveryItem, DeliveryOutcome, TargetAdapter } from '../../adapters/platforms/target.js';
import type { Ledger } from '../../ledger/ledger.js';
import { DELIVER_BACKOFF } from '../../pipelines/delivery-policy.js';
import type { WorkerSet } from '../../pipelines/workers.js';
import { until } from '../support/until.js';
import { type DeliveriesWaiting, deliveriesWaiting, PIPELINE } from './deliveries-waiting.js';

const RUN = 'held-run';

let fx: DeliveriesWaiting;
let ledger: Ledger;
let deliver: Queue;
let workers: WorkerSet | undefined;
const sent: string[] = [];

/** A platform that wants every license with its sealed file (`whenMissing: wait`). */
const wantsFiles: TargetAdapter = {
  name: 'province',
  kind: 'rest-json',
  licenseFiles: { maxBytes: 1 << 20, whenMissing: 'wait' },
  deliver: async (items: readonly DeliveryItem[]): Promise<DeliveryOutcome[]> => {
    sent.push(...items.map((i) => i.key));
    return items.map((i) => ({ key: i.key, state: 'accepted' }));
  },
  close: async () => undefined,
};

beforeAll(async () => {
  fx = await deliveriesWaiting({ rows: 3, runId: RUN });
  deliver = fx.deliver;
  ledger = await fx.rt.ledger();
}, 60_000);

afterAll(async () => {
  await workers?.close();
  await fx?.close();
});

describe('a deliver job whose deliveries are held back through its last attempt', () => {
  it('dead-letters them with what they waited for and completes', async () => {
    const versionIds = await fx.takeOver(wantsFiles);
    // The job has checked 200 times already; this is its last attempt.
    const job = await deliver.add(
      'deliver',
      { pipeline: PIPELINE, runId: RUN, target: 'province', versionIds, deferrals: 200 },
      { attempts: 1, backoff: { type: DELIVER_BACKOFF, delay: 1 } },
    );
    workers = fx.start(['deliver']);
    await until(async () => {
      const c = await deliver.getJobCounts('waiting', 'delayed', 'active', 'prioritized');
      return Object.values(c).every((n) => n === 0);
    });
    await workers.close();
    workers = undefined;

    const rows = await ledger.ensureDeliveries(versionIds, 'province');
    const held = rows.filter((r) => !sent.includes(r.key));
    expect(held.length).toBeGreaterThan(0);
    expect(held.map((r) => ({ state: r.state, reasons: r.reasons }))).toEqual(
      held.map(() => ({
        state: 'dead',
        reasons: [
          "licbridge: still held back after its deliver job's last attempt (200 checks): its license file is not issued yet (whenMissing: wait); replay this once licbridge sign files has issued it",
        ],
      })),
    );
    expect(rows.filter((r) => r.state === 'pending')).toEqual([]);
    expect(await fx.owedToProvince()).toBe(0);

    const done = await deliver.getJob(job.id as string);
    expect(done?.failedReason).toBeUndefined();
    expect(done?.returnvalue).toMatchObject({ dead: held.length, waiting: 0, submitted: 0 });
  }, 60_000);
});
