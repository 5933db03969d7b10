/**
 * A deliver job's last attempt whose send lost its answer (a timeout, a connection cut after the
 * platform stored the batch). Every earlier attempt asks the platform before sending again
 * (stages/deliver-lost-answers.ts); the last one dead-lettered its open deliveries at once, those
 * the platform holds too: the ledger said dead what the platform held, a replay sent it a second
 * time, and the license's later versions were dead-lettered behind it. The last attempt now asks
 * first: what the platform holds is recorded as it answers, and only the rest becomes a dead letter.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type {
  DeliveryItem,
  DeliveryOutcome,
  SubmittedDelivery,
  TargetAdapter,
} from '../../adapters/platforms/target.js';
import { ErrorCodes, LicbridgeError } from '../../core/errors.js';
import { DELIVER_BACKOFF } from '../../pipelines/delivery-policy.js';
import type { WorkerSet } from '../../pipelines/workers.js';
import { BACKENDS, type TestDatabase } from '../ledger/backends.js';
import { until } from '../support/until.js';
import { type DeliveriesWaiting, deliveriesWaiting, PIPELINE } from './deliveries-waiting.js';

const RUN = 'lost-last';
const LOST = 'target province: batch upload to http://127.0.0.1:9 failed: timed out after 1000 ms';

/**
 * A platform that stores every item of a batch but the last, then loses its answer; its status
 * request answers what it holds (`held` as the state it holds them in) and no result for the rest.
 */
function losingPlatform(held: 'accepted' | 'submitted') {
  const received = new Map<string, number>();
  const stored = new Set<string>();
  const polls: string[][] = [];
  const platform: TargetAdapter = {
    name: 'province',
    kind: 'rest-json',
    deliver: async (items: readonly DeliveryItem[]): Promise<DeliveryOutcome[]> => {
      for (const i of items) received.set(i.key, (received.get(i.key) ?? 0) + 1);
      for (const i of items.slice(0, -1)) stored.add(i.key);
      throw new LicbridgeError(ErrorCodes.TARGET_UNREACHABLE, LOST, {
        retryable: true,
        context: { target: 'province' },
      });
    },
    poll: async (asked: readonly SubmittedDelivery[]): Promise<DeliveryOutcome[]> => {
      polls.push(asked.map((a) => a.key));
      return asked.map((a) =>
        stored.has(a.key)
          ? { key: a.key, state: held, platformId: `P-${a.key}` }
          : {
              key: a.key,
              state: 'failed',
              retryable: true,
              reasons: ['platform answered no result for the key'],
            },
      );
    },
    close: async () => undefined,
  };
  return { platform, received, stored, polls };
}

describe.each(BACKENDS)("a deliver job's last attempt whose answer was lost ($name ledger)", (backend) => {
  let database: TestDatabase | undefined;
  let fx: DeliveriesWaiting | undefined;
  let workers: WorkerSet | undefined;
  /** The platform of the case running: each case its own. */
  let platform: TargetAdapter | undefined;
  /** The versions waiting for `province`, half of them for each case. */
  const versionsOf: Record<'accepted' | 'submitted', number[]> = { accepted: [], submitted: [] };
  // One workspace for both cases: extracting and signing it is most of a case's work.
  beforeAll(async () => {
    database = await backend.create();
    fx = await deliveriesWaiting({ rows: 8, runId: RUN, ledgerUrl: database.url });
    const ids = await fx.takeOver({
      name: 'province',
      kind: 'rest-json',
      deliver: (items) => (platform as TargetAdapter).deliver(items),
      poll: (asked) => (platform as TargetAdapter).poll?.(asked) ?? Promise.resolve([]),
      close: async () => undefined,
    });
    const half = Math.ceil(ids.length / 2);
    versionsOf.accepted = ids.slice(0, half);
    versionsOf.submitted = ids.slice(half);
  }, 60_000);
  afterEach(async () => {
    await workers?.close();
    workers = undefined;
  });
  afterAll(async () => {
    await fx?.close();
    await database?.dispose();
  });

  for (const held of ['accepted', 'submitted'] as const) {
    it(`records what the platform holds (${held}) and dead-letters only the rest`, async () => {
      if (fx === undefined) throw new Error('no workspace');
      const ledger = await fx.rt.ledger();
      const sim = losingPlatform(held);
      platform = sim.platform;
      const versionIds = versionsOf[held];
      expect(versionIds.length).toBeGreaterThan(1);

      // One attempt: the send that loses its answer is the job's last.
      const job = await fx.deliver.add(
        'deliver',
        { pipeline: PIPELINE, runId: RUN, target: 'province', versionIds },
        { attempts: 1, backoff: { type: DELIVER_BACKOFF, delay: 1 } },
      );
      workers = fx.start(['deliver']);
      await until(async () => {
        const state = await (await fx?.deliver.getJob(job.id as string))?.getState();
        return state === 'completed' || state === 'failed';
      });
      await workers.close();
      workers = undefined;

      const rows = await ledger.ensureDeliveries(versionIds, 'province');
      const stored = rows.filter((r) => sim.stored.has(r.key));
      const lost = rows.filter((r) => !sim.stored.has(r.key));
      expect(stored.length).toBe(rows.length - 1);
      expect(lost.length).toBe(1);
      // Held by the platform: recorded as it holds them, with its id, never a dead letter.
      expect(stored.map((r) => [r.state, r.platformId])).toEqual(stored.map((r) => [held, `P-${r.key}`]));
      // Not held: a dead letter with the send's failure, as before.
      expect(lost.map((r) => r.state)).toEqual(['dead']);
      expect(lost[0]?.reasons.join(' ')).toContain('timed out after 1000 ms');
      // The platform received each license once: nothing was sent again.
      expect([...sim.received.values()]).toEqual(rows.map(() => 1));
      expect(sim.polls.flat().sort()).toEqual(rows.map((r) => r.key).sort());
      const ended = await fx.deliver.getJob(job.id as string);
      expect(ended?.returnvalue).toMatchObject({ dead: 1 });
    }, 60_000);
  }
});
