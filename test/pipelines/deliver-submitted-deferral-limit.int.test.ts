/**
 * A deliver job whose submitted deliveries keep failing their status request (an unknown status)
 * through its deferrals: the worker logs the reason at warn once for the job, the deferral
 * limit's failure names it, and on the job's last attempt those deliveries become dead letters
 * with it — before, the job failed with "still wait after 200 checks", the deliveries stayed
 * `submitted` and the reason was recorded nowhere (deliver-deferrals.ts, deliver-worker.ts).
 */
import { pino } from 'pino';
import { afterAll, describe, expect, it } from 'vitest';
import type { DeliveryItem, DeliveryOutcome, TargetAdapter } from '../../adapters/platforms/target.js';
import { sealIdOf } from '../../config/seal-id.js';
import { DELIVER_BACKOFF } from '../../pipelines/delivery-policy.js';
import { deliverVersions } from '../../pipelines/stages/deliver.js';
import type { WorkerSet } from '../../pipelines/workers.js';
import { until } from '../support/until.js';
import { deliveriesWaitingForFile, PIPELINE } from './deliveries-waiting.js';

const RUN = 'polls-run';
const UNKNOWN = 'platform answered with an unknown status `frozen`';

let workers: WorkerSet | undefined;
const lines: { msg?: string; target?: string; deliveries?: number; reason?: string }[] = [];

/** A platform that takes every license for review and then answers its status with a word it never documented. */
const reviewing: TargetAdapter = {
  name: 'province',
  kind: 'rest-json',
  deliver: async (items: readonly DeliveryItem[]): Promise<DeliveryOutcome[]> =>
    items.map((i) => ({ key: i.key, state: 'submitted', platformId: `P-${i.key}` })),
  poll: async (submitted) =>
    submitted.map((s) => ({ key: s.key, state: 'failed', retryable: true, reasons: [UNKNOWN] })),
  close: async () => undefined,
};

const logger = pino({ level: 'warn' }, { write: (l: string) => void lines.push(JSON.parse(l)) });
const fixture = deliveriesWaitingForFile({ rows: 3, runId: RUN, logger });

afterAll(async () => {
  await workers?.close();
});

describe('a deliver job at its deferral limit with status requests that fail', () => {
  it('names the reason, logs it once, and dead-letters those deliveries on its last attempt', async () => {
    const { fx, ledger } = fixture;
    const { rt, deliver } = fx;
    const versionIds = await fx.takeOver(reviewing);
    const sealId = sealIdOf(rt.config, (await rt.pipeline(PIPELINE)).config);
    // Sent before: the platform holds them as submitted.
    expect(await deliverVersions(reviewing, sealId, ledger, versionIds)).toMatchObject({
      submitted: versionIds.length,
    });

    // The job has checked 200 times already; two attempts left it.
    const job = await deliver.add(
      'deliver',
      { pipeline: PIPELINE, runId: RUN, target: 'province', versionIds, deferrals: 200 },
      { attempts: 2, backoff: { type: DELIVER_BACKOFF, delay: 1 } },
    );
    workers = fx.start(['deliver']);
    await until(async () => {
      const c = await deliver.getJobCounts('waiting', 'delayed', 'active', 'prioritized');
      return Object.values(c).every((n) => n === 0);
    });
    await workers.close();
    workers = undefined;

    const done = await deliver.getJob(job.id as string);
    expect(done?.attemptsMade).toBe(2);
    expect(done?.finishedOn).toBeDefined();
    expect(done?.returnvalue).toMatchObject({ dead: versionIds.length, submitted: 0 });
    // The first attempt's failure named the reason.
    expect(done?.stacktrace?.[0]).toContain(
      `deliver: ${versionIds.length} deliveries to province still wait after 200 checks; the last failed status request: ${UNKNOWN}`,
    );
    const rows = await ledger.ensureDeliveries(versionIds, 'province');
    expect(rows.map((r) => ({ state: r.state, reasons: r.reasons }))).toEqual(
      rows.map(() => ({ state: 'dead', reasons: [UNKNOWN] })),
    );
    const warned = lines.filter((l) => l.msg?.startsWith('deliver: status requests'));
    expect(warned).toEqual([
      expect.objectContaining({ target: 'province', deliveries: versionIds.length, reason: UNKNOWN }),
    ]);
  }, 60_000);
});
