/**
 * A deliver job past its hour of the platform's Retry-After (MAX_RETRY_AFTER_DEFERRAL_MS) spends
 * an attempt on each answer asking it to wait, as docs/sync.md says. A wait is no failed request,
 * though: the platform asked every caller to wait, and this process holds its requests back for
 * that long (adapters/platforms/shared/send-pause.ts). The job spent an attempt and came back after
 * its backoff (about a second) into the wait it had been answered, sent nothing, and spent another:
 * one request left, and every attempt was gone, its deliveries dead-lettered. Now a job taken
 * while the wait holds sends nothing and spends none, and is put back for the time left: each
 * attempt is a request that left and was answered so. The platform here answers every request
 * 503 with a Retry-After of WAIT_MS, through the send pause every REST/JSON and SOAP/XML target
 * holds.
 */
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { SendPause } from '../../adapters/platforms/shared/send-pause.js';
import type { DeliveryItem, DeliveryOutcome, TargetAdapter } from '../../adapters/platforms/target.js';
import { DELIVER_BACKOFF, MAX_RETRY_AFTER_DEFERRAL_MS } from '../../pipelines/delivery-policy.js';
import { askedToWait, heldBack, noteWait } from '../support/retry-after-answers.js';
import { deliveriesWaitingForFile, PIPELINE } from './deliveries-waiting.js';

const RUN = 'retry-after-cap-held-run';
/** The wait asked: past the first retries' backoff (1 s doubling, the targets' default). */
const WAIT_MS = 5000;
const ATTEMPTS = 3;
const BUSY = 'target province: batch upload to http://127.0.0.1:9 failed: HTTP 503 (SYSTEM_BUSY)';

/** Requests that reached the platform. */
let sends = 0;
const pause = new SendPause('province', `http://${randomUUID()}.test`);
const busy: TargetAdapter = {
  name: 'province',
  kind: 'rest-json',
  deliver: async (items: readonly DeliveryItem[]): Promise<DeliveryOutcome[]> => {
    const held = heldBack(pause, 'batch upload', items);
    if (held) return held;
    sends += 1;
    noteWait(pause, BUSY, WAIT_MS);
    return askedToWait(items, BUSY, WAIT_MS);
  },
  waitLeft: () => pause.left(),
  close: async () => undefined,
};

const fixture = deliveriesWaitingForFile({ rows: 2, runId: RUN });

describe("a deliver job past its hour of the platform's Retry-After", () => {
  it('spends an attempt only on a request that left, each after the wait asked', async () => {
    const { fx, ledger } = fixture;
    const { deliver } = fx;
    const versionIds = await fx.takeOver(busy);

    const job = await deliver.add(
      'deliver',
      {
        pipeline: PIPELINE,
        runId: RUN,
        target: 'province',
        versionIds,
        deferredMs: MAX_RETRY_AFTER_DEFERRAL_MS,
      },
      { attempts: ATTEMPTS, backoff: { type: DELIVER_BACKOFF, delay: 1 } },
    );
    await fx.deliverUntilFinished([job.id], 120_000);

    const done = await deliver.getJob(job.id as string);
    expect(done?.attemptsMade).toBe(ATTEMPTS);
    // One request a spent attempt; none held back by the wait spent one.
    expect(sends).toBe(ATTEMPTS);
    expect(done?.returnvalue).toMatchObject({ dead: versionIds.length });
    const rows = await ledger.ensureDeliveries(versionIds, 'province');
    expect(rows.map((r) => r.state)).toEqual(rows.map(() => 'dead'));
    for (const r of rows)
      expect(r.reasons?.[0]).toMatch(
        /^deliver: target province asked to wait \(Retry-After\) again and again, 60 min in all, .*HTTP 503 \(SYSTEM_BUSY\)$/,
      );
  }, 150_000);
});
