/**
 * A send the platform may have stored though it did not say so (its answer had no result for the
 * key, a later batch of the call timed out, the request was cut after it left) is an attempt: the
 * next try asks the platform before sending it again. The wave let go of its leases first and
 * counted the attempt after: a sender killed between the two, an attempt write that failed, or a
 * write of the wave's other answers that failed (the attempt never reached) left the rows
 * `pending`, no attempt counted, nobody's lease, and the next job sent them again unasked; another
 * job reading them in between did the same. The attempt is now written while the lease is held,
 * and a row whose attempt was not written keeps its lease: once it runs out, the next job reads it
 * lapsed and asks first.
 */
import { describe, expect, it } from 'vitest';
import type { DeliveryItem, DeliveryOutcome, TargetAdapter } from '../../adapters/platforms/target.js';
import { ErrorCodes, LicbridgeError } from '../../core/errors.js';
import { newRowLeaseMs } from '../../ledger/delivery-claims.js';
import type { Ledger } from '../../ledger/ledger.js';
import { deliverVersions } from '../../pipelines/stages/deliver.js';
import { BACKENDS } from '../ledger/backends.js';
import { ageLeases } from '../ledger/clock-skew.js';
import { candidates } from '../ledger/fixtures.js';
import { ledgerPerTest } from '../ledger/ledger-per-test.js';
import { signedRuns } from '../ledger/signed-runs.js';
import { pollReceived } from '../pipelines/poll-received.js';

const SEAL = 'seal-attempt-release';
/** The first sender's lease: far past a case's own time, so only `runOut` ends it. */
const LEASE_MS = 10 * 60_000;

type FirstAnswer = 'no-result' | 'mixed' | 'timed-out';

/**
 * A platform that stores every item it is sent and answers a status request with what it holds.
 * Its first send is answered as `first` says: no result for any key; the first key accepted and
 * no result for the rest; or a timeout thrown after it stored them. Later sends are accepted.
 */
function storingPlatform(first: FirstAnswer) {
  const received = new Map<string, number>();
  const polled: string[] = [];
  let sends = 0;
  const platform: TargetAdapter = {
    name: 'province',
    kind: 'rest-json',
    deliver: async (items: readonly DeliveryItem[]): Promise<DeliveryOutcome[]> => {
      for (const i of items) received.set(i.key, (received.get(i.key) ?? 0) + 1);
      sends += 1;
      const accepted = (key: string): DeliveryOutcome => ({ key, state: 'accepted', platformId: `P-${key}` });
      if (sends > 1) return items.map((i) => accepted(i.key));
      if (first === 'timed-out')
        throw new LicbridgeError(
          ErrorCodes.TARGET_UNREACHABLE,
          'target province: batch upload to http://127.0.0.1:9 failed: timed out after 1000 ms',
          { retryable: true, context: { target: 'province' } },
        );
      return items.map((i, n) =>
        first === 'mixed' && n === 0
          ? accepted(i.key)
          : {
              key: i.key,
              state: 'failed',
              retryable: true,
              failure: 'no-result',
              reasons: ['platform answered without a result for this key'],
            },
      );
    },
    poll: pollReceived(received, polled),
    close: async () => undefined,
  };
  return { platform, received, polled };
}

/**
 * `ledger` with `method` running `run` first whenever it is given something to write (its first
 * argument not empty): a crash there when `run` throws.
 */
function runningFirst(ledger: Ledger, method: keyof Ledger, run: () => Promise<void>): Ledger {
  return new Proxy(ledger, {
    get(target, prop, receiver) {
      const value = Reflect.get(target, prop, receiver);
      if (prop !== method || typeof value !== 'function') {
        return typeof value === 'function' ? value.bind(target) : value;
      }
      return async (...args: unknown[]) => {
        if (!Array.isArray(args[0]) || args[0].length > 0) await run();
        return (value as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
}

const killed = async () => {
  throw new Error('sender killed');
};

describe.each(BACKENDS)(
  'a send that may have landed is counted before its lease ends ($name ledger)',
  (backend) => {
    const testLedger = ledgerPerTest(backend);
    let url = '';

    async function setUp(pipeline: string, first: number) {
      const { ledger: open, database } = await testLedger();
      url = database.url;
      const ids = await signedRuns(() => open, pipeline, SEAL)(candidates(first, 3, { pipeline }));
      return { open, ids };
    }

    /** The rows as another job reads them: state, attempts, and whether a live lease of another holds them. */
    async function asRead(open: Ledger, ids: readonly number[]) {
      const rows = await open.ensureDeliveries(ids, 'province', { owner: 'reader', leaseMs: 1_000 });
      return {
        keys: rows.map((r) => r.key),
        seen: rows.map((r) => [r.state, r.attempts, r.leaseHeld ?? false]),
      };
    }

    /** The ledger's clock going on past the first sender's lease (a created row's, with its grace). */
    async function runOut(open: Ledger, ids: readonly number[], keys: readonly string[]): Promise<void> {
      const moved = await ageLeases(url, 'deliveries', newRowLeaseMs(LEASE_MS) + 1_000, (q) =>
        q.whereIn('version_id', [...ids]),
      );
      expect(moved).toBe(keys.length);
      expect((await open.getDeliveries(keys)).map((r) => r.leaseLapsed)).toEqual(keys.map(() => true));
    }

    /**
     * After a first send that was not counted: the rows stay leased (another job waits), and once the
     * lease runs out the next job asks about them, records what the platform holds, sends none again.
     */
    async function askedOnceLapsed(
      open: Ledger,
      sim: ReturnType<typeof storingPlatform>,
      ids: readonly number[],
    ): Promise<void> {
      const { keys, seen } = await asRead(open, ids);
      expect([...sim.received.values()]).toEqual(keys.map(() => 1));
      expect(seen).toEqual(keys.map(() => ['pending', 0, true]));
      expect(await deliverVersions(sim.platform, SEAL, open, ids)).toMatchObject({ waiting: keys.length });
      expect(sim.polled).toEqual([]);

      await runOut(open, ids, keys);
      await deliverVersions(sim.platform, SEAL, open, ids);
      expect((await open.getDeliveries(keys)).map((r) => r.state)).toEqual(keys.map(() => 'accepted'));
      expect([...sim.received.values()]).toEqual(keys.map(() => 1));
      expect([...sim.polled].sort()).toEqual([...keys].sort());
    }

    it('an answer without a result whose attempt write fails keeps its lease, and is asked about', async () => {
      const { open, ids } = await setUp('attempt-write-fails', 1);
      const sim = storingPlatform('no-result');
      await expect(
        deliverVersions(sim.platform, SEAL, runningFirst(open, 'recordDeliveryAttempt', killed), ids, {
          leaseMs: LEASE_MS,
        }),
      ).rejects.toThrow('sender killed');
      await askedOnceLapsed(open, sim, ids);
    });

    it('a send that timed out whose attempt write fails keeps its lease, and is asked about', async () => {
      const { open, ids } = await setUp('thrown-attempt-fails', 11);
      const sim = storingPlatform('timed-out');
      await expect(
        deliverVersions(sim.platform, SEAL, runningFirst(open, 'recordDeliveryAttempt', killed), ids, {
          leaseMs: LEASE_MS,
        }),
      ).rejects.toThrow('sender killed');
      await askedOnceLapsed(open, sim, ids);
    });

    it("a wave whose answers' write fails keeps the leases of those without a result too", async () => {
      const { open, ids } = await setUp('answers-write-fails', 21);
      const sim = storingPlatform('mixed');
      const failing = runningFirst(open, 'recordDeliveryOutcomes', killed);
      await expect(deliverVersions(sim.platform, SEAL, failing, ids, { leaseMs: LEASE_MS })).rejects.toThrow(
        'sender killed',
      );
      await askedOnceLapsed(open, sim, ids);
    });

    it('another job reading the rows while the attempt is being written sends none of them', async () => {
      const { open, ids } = await setUp('attempt-window', 31);
      const sim = storingPlatform('no-result');
      let other: Promise<unknown> | undefined;
      const slowAttempt = runningFirst(open, 'recordDeliveryAttempt', async () => {
        other ??= deliverVersions(sim.platform, SEAL, open, ids, { owner: 'other' });
        await other;
      });
      await expect(
        deliverVersions(sim.platform, SEAL, slowAttempt, ids, { leaseMs: LEASE_MS, owner: 'first' }),
      ).rejects.toThrow();
      // The other job found them leased: it waited.
      await expect(other).resolves.toMatchObject({ waiting: 3 });
      const { keys, seen } = await asRead(open, ids);
      expect([...sim.received.values()]).toEqual(keys.map(() => 1));
      expect(seen).toEqual(keys.map(() => ['pending', 1, false]));
      // Counted and let go: the next job asks first, and sends none again.
      await deliverVersions(sim.platform, SEAL, open, ids);
      expect((await open.getDeliveries(keys)).map((r) => r.state)).toEqual(keys.map(() => 'accepted'));
      expect([...sim.received.values()]).toEqual(keys.map(() => 1));
      expect([...sim.polled].sort()).toEqual([...keys].sort());
    });
  },
);
