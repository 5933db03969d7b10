/**
 * A deliver job whose submitted deliveries' status requests fail keeps the last reason in its data
 * (`lastPollReason`), in Redis, to name it when it stops waiting; the deliveries keep it as their
 * last error and, when the job ends, their dead letter's reason. A target fronting a database fails
 * a status request with its driver's words, and the reason was kept with only the license's values
 * masked and runs of seven or more digits cut: a URL's or connection string's password, a quoted
 * value, a passport number's last four digits and numbers written in groups reached Redis. It is
 * kept now as failureMessage makes any error's text safe (test/support/driver-error-cases.ts), cut
 * to 200 characters as a platform's reason is.
 */
import type { Queue } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DeliveryItem, DeliveryOutcome, TargetAdapter } from '../../adapters/platforms/target.js';
import { sealIdOf } from '../../config/seal-id.js';
import { isLicbridgeError } from '../../core/errors.js';
import type { Ledger } from '../../ledger/ledger.js';
import { MAX_DEFERRALS } from '../../pipelines/delivery-policy.js';
import type { DeliverJobData } from '../../pipelines/queues.js';
import type { Runtime } from '../../pipelines/runtime.js';
import { deliverVersions } from '../../pipelines/stages/deliver.js';
import type { WorkerSet } from '../../pipelines/workers.js';
import { type DriverErrorCase, driverErrorCases } from '../support/driver-error-cases.js';
import { until } from '../support/until.js';
import { type DeliveriesWaiting, deliveriesWaiting, PIPELINE } from './deliveries-waiting.js';

const RUN = 'poll-reason-run';

let fx: DeliveriesWaiting;
let rt: Runtime;
let ledger: Ledger;
let deliver: Queue;
let workers: WorkerSet | undefined;

/** A case's text as a platform's reason is kept: as failureMessage shows it, cut to 200 characters. */
function keptAs(c: DriverErrorCase): string {
  const chars = Array.from(c.whole ?? c.shown);
  return chars.length > 200 ? `${chars.slice(0, 200).join('')}…` : chars.join('');
}

/** The message of an error, as a target quoting its database's words writes a reason: text. */
const told = (error: unknown) => (error instanceof Error ? error.message : String(error));

/** The status request's reason for each delivery key; a key not here is still under review. */
const pollReasonOf = new Map<string, string>();

/** A platform taking every license for review, whose status requests fail as `pollReasonOf` says. */
const reviewing: TargetAdapter = {
  name: 'province',
  kind: 'front-db',
  deliver: async (items: readonly DeliveryItem[]): Promise<DeliveryOutcome[]> =>
    items.map((i) => ({ key: i.key, state: 'submitted', platformId: `P-${i.key}` })),
  poll: async (submitted) =>
    submitted.map((s): DeliveryOutcome => {
      const reason = pollReasonOf.get(s.key);
      return reason === undefined
        ? { key: s.key, state: 'submitted', platformId: `P-${s.key}` }
        : { key: s.key, state: 'failed', retryable: true, unverified: true, reasons: [reason] };
    }),
  close: async () => undefined,
};

// An empty reason is no reason: the stage then says the platform gave no verdict.
const cases: DriverErrorCase[] = driverErrorCases().filter((c) => told(c.error) !== '');

beforeAll(async () => {
  fx = await deliveriesWaiting({ rows: cases.length + 6, runId: RUN });
  ({ rt, deliver } = fx);
  ledger = await rt.ledger();
}, 120_000);

afterAll(async () => {
  await workers?.close();
  await fx?.close();
});

describe("a deliver job's last failed status request, kept in Redis", () => {
  it('holds no password, quoted value, passport number or number in groups the target quoted', async () => {
    const versionIds = await fx.takeOver(reviewing);
    expect(versionIds.length).toBeGreaterThanOrEqual(cases.length);
    const sealId = sealIdOf(rt.config, (await rt.pipeline(PIPELINE)).config);
    // Sent before: the platform holds them for review.
    expect(await deliverVersions(reviewing, sealId, ledger, versionIds)).toMatchObject({
      submitted: versionIds.length,
    });
    const rows = await ledger.ensureDeliveries(versionIds, 'province');

    // One job a case, each at its deferral limit on its last attempt: it keeps the reason in its
    // data, then dead-letters its delivery with it.
    const jobs = [];
    for (const [i, c] of cases.entries()) {
      const row = rows[i];
      if (!row) throw new Error('poll reasons: fewer deliveries than cases');
      pollReasonOf.set(row.key, told(c.error));
      const data: DeliverJobData = {
        pipeline: PIPELINE,
        runId: RUN,
        target: 'province',
        versionIds: [row.versionId],
        deferrals: MAX_DEFERRALS,
      };
      jobs.push({ c, key: row.key, job: await deliver.add('deliver', data, { attempts: 1 }) });
    }
    workers = fx.start(['deliver']);
    await until(async () => {
      const c = await deliver.getJobCounts('waiting', 'delayed', 'active', 'prioritized');
      return Object.values(c).every((n) => n === 0);
    });
    await workers.close();
    workers = undefined;

    for (const { c, key, job } of jobs) {
      const done = await deliver.getJob(job.id as string);
      const kept = (done?.data as DeliverJobData | undefined)?.lastPollReason;
      const [dead] = await ledger.listDeadLetters({ keys: [key] });
      expect(dead?.state, c.name).toBe('dead');
      const reason = told(c.error);
      // Told as text: a licbridge error's words are no longer known as its own, but hold no backticks here.
      if (!isLicbridgeError(c.error) || !reason.includes('`')) {
        expect(kept, c.name).toBe(keptAs(c));
        expect(dead?.reasons, c.name).toEqual([keptAs(c)]);
      }
      // Nor does any other text the job keeps in Redis: its result's reason, its error.
      const result = done?.returnvalue as { pollFailed?: { reason?: string } } | undefined;
      const stored = [kept, result?.pollFailed?.reason, done?.failedReason, ...(done?.stacktrace ?? [])].join(
        '\n',
      );
      for (const leak of c.leaks) expect(stored, c.name).not.toContain(leak);
    }
  }, 120_000);
});
