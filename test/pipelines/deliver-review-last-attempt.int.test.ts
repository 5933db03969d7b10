/**
 * A platform that reviews before it decides may take days (docs/sync.md), and a deliver job waits
 * for its verdicts only so long: after its checks, attempt after attempt, its last attempt ends. It
 * failed for good then ("still wait after 200 checks"), though nothing had failed: the deliveries
 * stay `submitted` and a later run's job asks again. A job failing for good fails its run, so a
 * `licbridge worker` (recordRunFailures, as the command runs it) ended the run `failed`, and it
 * stayed failed once the platform had accepted every license. The last attempt now ends the job
 * with the deliveries left in review, and the run stays `running` until their verdicts are in.
 */
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DeliveryItem, DeliveryOutcome, TargetAdapter } from '../../adapters/platforms/target.js';
import { sealIdOf } from '../../config/seal-id.js';
import type { Ledger } from '../../ledger/ledger.js';
import { DELIVER_BACKOFF } from '../../pipelines/delivery-policy.js';
import type { Runtime } from '../../pipelines/runtime.js';
import { deliverVersions } from '../../pipelines/stages/deliver.js';
import { recordRunFailures } from '../../pipelines/workers/run-failures.js';
import type { WorkerSet } from '../../pipelines/workers.js';
import { until } from '../support/until.js';
import { type DeliveriesWaiting, deliveriesWaiting, PIPELINE } from './deliveries-waiting.js';

const RUN = 'review-run';

let fx: DeliveriesWaiting;
let rt: Runtime;
let ledger: Ledger;
let workers: WorkerSet | undefined;
const lines: { msg?: string; target?: string; deliveries?: number }[] = [];

/** A platform that takes every license for review and has not decided yet. */
const reviewing: TargetAdapter = {
  name: 'province',
  kind: 'rest-json',
  deliver: async (items: readonly DeliveryItem[]): Promise<DeliveryOutcome[]> =>
    items.map((i) => ({ key: i.key, state: 'submitted', platformId: `P-${i.key}` })),
  poll: async (submitted) => submitted.map((s) => ({ key: s.key, state: 'submitted' })),
  close: async () => undefined,
};

/** The same platform once its review is over. */
const decided: TargetAdapter = {
  ...reviewing,
  poll: async (submitted) =>
    submitted.map((s) => ({ key: s.key, state: 'accepted', platformId: `P-${s.key}` })),
};

beforeAll(async () => {
  const logger = pino({ level: 'warn' }, { write: (l: string) => void lines.push(JSON.parse(l)) });
  fx = await deliveriesWaiting({ rows: 3, runId: RUN, logger });
  rt = fx.rt;
  ledger = await rt.ledger();
}, 60_000);

afterAll(async () => {
  await workers?.close();
  await fx?.close();
});

describe("a deliver job's last attempt with deliveries still under review", () => {
  it('leaves them in review and its run running, not failed; the run ends done with the verdicts', async () => {
    const versionIds = await fx.takeOver(reviewing);
    const parts = await rt.pipeline(PIPELINE);
    const sealId = sealIdOf(rt.config, parts.config);
    expect(await deliverVersions(reviewing, sealId, ledger, versionIds)).toMatchObject({
      submitted: versionIds.length,
    });

    // The job has checked 200 times already; two attempts left it.
    const job = await fx.deliver.add(
      'deliver',
      { pipeline: PIPELINE, runId: RUN, target: 'province', versionIds, deferrals: 200 },
      { attempts: 2, backoff: { type: DELIVER_BACKOFF, delay: 1 } },
    );
    workers = fx.start(['deliver']);
    // As `licbridge worker` runs: a run's job failing for good fails the run in the ledger.
    const failures = recordRunFailures(workers.events, () => rt.ledger(), rt.logger);
    await until(async () => {
      const c = await fx.deliver.getJobCounts('waiting', 'delayed', 'active', 'prioritized');
      return Object.values(c).every((n) => n === 0);
    });
    await workers.close();
    workers = undefined;
    await failures.flush();
    failures.stop();

    const ended = await fx.deliver.getJob(job.id as string);
    expect(ended?.attemptsMade).toBe(2);
    expect(await ended?.getState()).toBe('completed');
    expect(ended?.returnvalue).toMatchObject({ submitted: versionIds.length, dead: 0 });
    const rows = await ledger.ensureDeliveries(versionIds, 'province');
    expect(rows.map((r) => r.state)).toEqual(rows.map(() => 'submitted'));
    expect((await ledger.getRun(RUN))?.state).toBe('running');
    expect(lines).toContainEqual(
      expect.objectContaining({ target: 'province', deliveries: versionIds.length }),
    );

    // A later job asks again, and the platform has decided.
    await deliverVersions(decided, sealId, ledger, versionIds);
    const after = await ledger.ensureDeliveries(versionIds, 'province');
    expect(after.map((r) => r.state)).toEqual(after.map(() => 'accepted'));
    expect(await ledger.completeRun(RUN, sealId, parts.config.targets)).toBe(true);
    expect((await ledger.getRun(RUN))?.state).toBe('done');
  }, 60_000);
});
