/**
 * Past a deliver job's hour of the platform's Retry-After, a request the wait held back is no
 * attempt (docs/sync.md): a job taken while its process holds the wait is put back for the time
 * left. A job taken before the wait began, whose request then met it, still spent one: its call
 * ended 'not sent: the platform asked every caller to wait', read as an answer asking to wait.
 * Two jobs of one attempt each, taken together: A's request answered 503 with a Retry-After, B's
 * request held back by the wait A's answer began. Before, one request left and both jobs failed
 * their only attempt, both dead-lettered; now B is put back without spending it and its request
 * leaves once the wait is over.
 */
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { SendPause } from '../../adapters/platforms/shared/send-pause.js';
import type { DeliveryItem, DeliveryOutcome, TargetAdapter } from '../../adapters/platforms/target.js';
import { MAX_RETRY_AFTER_DEFERRAL_MS } from '../../pipelines/delivery-policy.js';
import { askedToWait, heldBack, noteWait } from '../support/retry-after-answers.js';
import { deliveriesWaitingForFile, PIPELINE } from './deliveries-waiting.js';

const RUN = 'retry-after-cap-held-mid-job-run';
const WAIT_MS = 3000;
const BUSY = 'target province: batch upload to http://127.0.0.1:9 failed: HTTP 503 (SYSTEM_BUSY)';

/** Requests that reached the platform, by the keys they carried. */
const sent: string[][] = [];
const pause = new SendPause('province', `http://${randomUUID()}.test`);
/** The first call waits for the second to be in before it is answered; the second for that answer. */
let calls = 0;
let secondIn: () => void = () => undefined;
const bothIn = new Promise<void>((resolve) => {
  secondIn = resolve;
});
let firstAnswered: () => void = () => undefined;
const answered = new Promise<void>((resolve) => {
  firstAnswered = resolve;
});

const platform: TargetAdapter = {
  name: 'province',
  kind: 'rest-json',
  deliver: async (items: readonly DeliveryItem[]): Promise<DeliveryOutcome[]> => {
    calls += 1;
    const call = calls;
    if (call === 2) secondIn();
    if (call === 1) await bothIn;
    if (call === 2) await answered;
    const held = heldBack(pause, 'batch upload', items);
    if (held) return held;
    sent.push(items.map((i) => i.key));
    if (call > 1) return items.map((i) => ({ key: i.key, state: 'accepted', platformId: `p-${i.key}` }));
    noteWait(pause, BUSY, WAIT_MS);
    firstAnswered();
    return askedToWait(items, BUSY, WAIT_MS);
  },
  waitLeft: () => pause.left(),
  close: async () => undefined,
};

const fixture = deliveriesWaitingForFile({ rows: 3, runId: RUN });

describe("a deliver job past its hour of the platform's Retry-After, held back in the middle", () => {
  it('spends no attempt on a request the wait held back after the job was taken', async () => {
    const { fx, ledger } = fixture;
    const { deliver } = fx;
    const versionIds = await fx.takeOver(platform);
    const [a, b] = versionIds;
    if (a === undefined || b === undefined) throw new Error('two versions expected');
    const data = {
      pipeline: PIPELINE,
      runId: RUN,
      target: 'province',
      deferredMs: MAX_RETRY_AFTER_DEFERRAL_MS,
    };
    const jobA = await deliver.add('deliver', { ...data, versionIds: [a] }, { attempts: 1 });
    const jobB = await deliver.add('deliver', { ...data, versionIds: [b] }, { attempts: 1 });
    await fx.deliverUntilFinished([jobA.id, jobB.id], 60_000);

    const [rowA, rowB] = await ledger.ensureDeliveries([a, b], 'province');
    // A's request was answered 503: its only attempt spent, its delivery dead-lettered.
    expect(rowA?.state).toBe('dead');
    // B's was held back: put back, not failed; sent once the wait ended.
    expect(rowB?.state).toBe('accepted');
    const doneB = await deliver.getJob(jobB.id as string);
    expect(doneB?.failedReason ?? '').toBe('');
    expect(doneB?.attemptsMade).toBe(1);
    expect(sent).toHaveLength(2);
  }, 90_000);
});
