/**
 * A platform answering 429 with Retry-After asks every caller to wait, and a deliver job waits that
 * long without spending an attempt (docs/sync.md) — on its last attempt too, as a sign job waits out
 * a signing server's. The last attempt's wait was dropped: the job dead-lettered its deliveries at
 * once, though the platform had only asked for a few hundred milliseconds and then took them.
 */
import { describe, expect, it } from 'vitest';
import type { DeliveryItem, DeliveryOutcome, TargetAdapter } from '../../adapters/platforms/target.js';
import { DELIVER_BACKOFF } from '../../pipelines/delivery-policy.js';
import { askedToWait } from '../support/retry-after-answers.js';
import { deliveriesWaitingForFile, PIPELINE } from './deliveries-waiting.js';

const RUN = 'retry-after-last-attempt-run';
const BUSY = 'target province: batch upload to http://127.0.0.1:9 failed: HTTP 429 (TOO_MANY_REQUESTS)';

/** A platform that asks to wait 300 ms at the first request, then accepts everything. */
let sends = 0;
const busyOnce: TargetAdapter = {
  name: 'province',
  kind: 'rest-json',
  deliver: async (items: readonly DeliveryItem[]): Promise<DeliveryOutcome[]> => {
    sends += 1;
    if (sends === 1) return askedToWait(items, BUSY, 300);
    return items.map((i) => ({ key: i.key, state: 'accepted', platformId: `p-${i.key}` }));
  },
  close: async () => undefined,
};

const fixture = deliveriesWaitingForFile({ rows: 2, runId: RUN });

describe("a deliver job's last attempt answered with Retry-After", () => {
  it('waits the platform out without spending the attempt, and delivers', async () => {
    const { fx, ledger } = fixture;
    const { deliver } = fx;
    const versionIds = await fx.takeOver(busyOnce);
    // One attempt: the first answer comes to the job's last attempt.
    const job = await deliver.add(
      'deliver',
      { pipeline: PIPELINE, runId: RUN, target: 'province', versionIds },
      { attempts: 1, backoff: { type: DELIVER_BACKOFF, delay: 1 } },
    );
    await fx.deliverUntilFinished([job.id], 30_000);

    const done = await deliver.getJob(job.id as string);
    const rows = await ledger.ensureDeliveries(versionIds, 'province');
    expect({ sends, states: rows.map((r) => r.state), dead: done?.returnvalue?.dead }).toEqual({
      sends: 2,
      states: rows.map(() => 'accepted'),
      dead: 0,
    });
    expect(done?.data.deferredMs).toBe(300);
    expect(await done?.getState()).toBe('completed');
  }, 60_000);
});
