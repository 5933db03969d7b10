/**
 * After a deliver job's sends are recorded, its run is checked for completion (workers/complete-
 * runs.ts): a check that fails — the ledger away past its retry budget — is a warning, and the next
 * job's check, or `licbridge run`'s, marks the run done. A check made at once threw out of the job
 * instead: the job failed with its deliveries accepted, and on its last attempt it failed for good
 * and its run was failed with every license delivered.
 */
import { afterAll, describe, expect, it } from 'vitest';
import type { DeliveryItem, DeliveryOutcome, TargetAdapter } from '../../adapters/platforms/target.js';
import { ErrorCodes, LicbridgeError } from '../../core/errors.js';
import { DELIVER_BACKOFF } from '../../pipelines/delivery-policy.js';
import type { WorkerSet } from '../../pipelines/workers.js';
import { until } from '../support/until.js';
import { deliveriesWaitingForFile, PIPELINE } from './deliveries-waiting.js';

const RUN = 'completion-check-failed-run';

let workers: WorkerSet | undefined;

const accepting: TargetAdapter = {
  name: 'province',
  kind: 'rest-json',
  deliver: async (items: readonly DeliveryItem[]): Promise<DeliveryOutcome[]> =>
    items.map((i) => ({ key: i.key, state: 'accepted', platformId: `p-${i.key}` })),
  close: async () => undefined,
};

const fixture = deliveriesWaitingForFile({ rows: 2, runId: RUN });

afterAll(async () => {
  await workers?.close();
});

describe("a deliver job whose run's completion check fails", () => {
  it('completes on its last attempt, its run not failed, and a later check marks the run done', async () => {
    const { fx, ledger } = fixture;
    const { deliver } = fx;
    const versionIds = await fx.takeOver(accepting);
    // The ledger answers every completion check as away for its whole retry budget.
    const completeRun = ledger.completeRun.bind(ledger);
    let away = true;
    let refused = 0;
    ledger.completeRun = async (...args) => {
      if (!away) return completeRun(...args);
      refused += 1;
      throw new LicbridgeError(ErrorCodes.LEDGER, 'ledger: completeRun failed: connection refused', {
        retryable: true,
      });
    };
    const job = await deliver.add(
      'deliver',
      { pipeline: PIPELINE, runId: RUN, target: 'province', versionIds },
      { attempts: 1, backoff: { type: DELIVER_BACKOFF, delay: 1 } },
    );
    workers = fx.start(['deliver']);
    const failed: string[] = [];
    workers.events.on('runFailed', (runId: string) => failed.push(runId));
    await until(async () => (await deliver.getJob(job.id as string))?.finishedOn !== undefined, 30_000);

    const done = await deliver.getJob(job.id as string);
    const rows = await ledger.ensureDeliveries(versionIds, 'province');
    expect({
      state: await done?.getState(),
      accepted: done?.returnvalue?.accepted,
      rows: rows.map((r) => r.state),
      failed,
    }).toEqual({
      state: 'completed',
      accepted: versionIds.length,
      rows: rows.map(() => 'accepted'),
      failed: [],
    });
    expect(refused).toBeGreaterThan(0);
    expect((await ledger.getRun(RUN))?.state).toBe('running');

    // The ledger back: the next check (here the closing worker's) marks the run done.
    away = false;
    const next = await deliver.add(
      'deliver',
      { pipeline: PIPELINE, runId: RUN, target: 'province', versionIds },
      { attempts: 1 },
    );
    await until(async () => (await deliver.getJob(next.id as string))?.finishedOn !== undefined, 30_000);
    await workers.close();
    workers = undefined;
    expect((await ledger.getRun(RUN))?.state).toBe('done');
  }, 60_000);
});
