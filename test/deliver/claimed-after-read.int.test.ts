/**
 * A delivery another sender took after this sender read it. The deliver stage reads its rows
 * first (ensureDeliveries), then claims each wave; a row read free, or this sender's own, that
 * another job claimed in between and sent was claimed all the same once that job's lease ran out
 * (it died after the send) or once it let the row go with an attempt counted (its answer lost):
 * this sender sent it again unasked, and the platform received it twice. What this sender read of
 * the row (its revision, whether its lease had run out) now goes with the claim: one another
 * sender took or wrote since is not claimed, and whoever reads it next asks the platform first. So
 * is one written between the claim and the send (the look just before it is made as read too).
 *
 * The other sender's lease is long (10 minutes) and runs out when a case says so: its end moved
 * back in the ledger (clock-skew.ts), not waited out.
 */
import { describe, expect, it } from 'vitest';
import type { DeliveryItem, DeliveryOutcome, TargetAdapter } from '../../adapters/platforms/target.js';
import { newRowLeaseMs } from '../../ledger/delivery-claims.js';
import type { Ledger } from '../../ledger/ledger.js';
import { deliverVersions } from '../../pipelines/stages/deliver.js';
import { BACKENDS } from '../ledger/backends.js';
import { ageLeases } from '../ledger/clock-skew.js';
import { candidates } from '../ledger/fixtures.js';
import { ledgerPerTest } from '../ledger/ledger-per-test.js';
import { signedRuns } from '../ledger/signed-runs.js';
import { dyingAfterTheAnswer } from '../pipelines/dying-sender.js';
import { pollReceived } from '../pipelines/poll-received.js';

const SEAL = 'seal-claimed-after-read';
/** The other sender's lease: far past a case's own time, so only `runOut` ends it. */
const LEASE_MS = 10 * 60_000;

/** A platform that takes what it is sent; `lost` makes it lose its answers (a timeout after it stored them). */
function platform() {
  const received = new Map<string, number>();
  const polled: string[] = [];
  const state = { lost: false };
  const target: TargetAdapter = {
    name: 'province',
    kind: 'rest-json',
    deliver: async (items: readonly DeliveryItem[]): Promise<DeliveryOutcome[]> => {
      for (const i of items) received.set(i.key, (received.get(i.key) ?? 0) + 1);
      return items.map((i) =>
        state.lost
          ? {
              key: i.key,
              state: 'failed',
              retryable: true,
              failure: 'timeout',
              reasons: ['answer timed out'],
            }
          : { key: i.key, state: 'accepted', platformId: `P-${i.key}` },
      );
    },
    poll: pollReceived(received, polled),
    close: async () => undefined,
  };
  return { target, received, polled, state };
}

/**
 * `ledger` whose claim number `at` (from 0) waits for `meanwhile`: another job's work between this
 * one's read and its claim (0), or between its claim and its look just before the send (1).
 */
function claimingAfter(ledger: Ledger, meanwhile: () => Promise<void>, at = 0): Ledger {
  let claims = 0;
  return new Proxy(ledger, {
    get(target, prop, receiver) {
      if (prop === 'claimDeliveries')
        return async (...args: Parameters<Ledger['claimDeliveries']>) => {
          if (claims++ === at) await meanwhile();
          return ledger.claimDeliveries(...args);
        };
      const value = Reflect.get(target, prop, receiver);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

/** `ledger` whose first `getDeliveries` (the read again after asking the platform) waits for `meanwhile`. */
function readingAgainAfter(ledger: Ledger, meanwhile: () => Promise<void>): Ledger {
  let reads = 0;
  return new Proxy(ledger, {
    get(target, prop, receiver) {
      if (prop === 'getDeliveries')
        return async (...args: Parameters<Ledger['getDeliveries']>) => {
          if (reads++ === 0) await meanwhile();
          return ledger.getDeliveries(...args);
        };
      const value = Reflect.get(target, prop, receiver);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

describe.each(BACKENDS)('a delivery another sender took after this one read it ($name ledger)', (backend) => {
  const testLedger = ledgerPerTest(backend);

  async function setUp(pipeline: string, first: number) {
    const { ledger: open, database } = await testLedger();
    const ids = await signedRuns(() => open, pipeline, SEAL)(candidates(first, 3, { pipeline }));
    // Made and let go, as a job that held them back left them: open, nobody's lease.
    const keys = (await open.ensureDeliveries(ids, 'province')).map((r) => r.key);
    return { open, ids, keys, url: database.url };
  }

  it('is not sent once the sender that took it died after its send and its lease ran out', async () => {
    const { open, ids, keys, url } = await setUp('claimed-after-read-died', 21);
    const sim = platform();
    const late = claimingAfter(open, async () => {
      // The other job sends them and dies before writing the answer; its lease then runs out.
      await expect(
        deliverVersions(sim.target, SEAL, dyingAfterTheAnswer(open), ids, { leaseMs: LEASE_MS }),
      ).rejects.toThrow('sender died');
      const moved = await ageLeases(url, 'deliveries', newRowLeaseMs(LEASE_MS) + 1_000, (q) =>
        q.whereIn('version_id', [...ids]),
      );
      expect(moved).toBe(keys.length);
    });

    expect(await deliverVersions(sim.target, SEAL, late, ids)).toMatchObject({ accepted: 0, waiting: 3 });
    expect([...sim.received.values()]).toEqual(keys.map(() => 1));

    // The job after it reads them lapsed, and asks: recorded accepted, not sent again.
    expect(await deliverVersions(sim.target, SEAL, open, ids)).toMatchObject({ skipped: 3 });
    expect([...sim.received.values()]).toEqual(keys.map(() => 1));
    expect((await open.getDeliveries(keys)).map((r) => r.state)).toEqual(keys.map(() => 'accepted'));
  });

  it('is not sent once the sender that took it let it go with its attempt counted', async () => {
    const { open, ids, keys } = await setUp('claimed-after-read-tried', 31);
    const sim = platform();
    const late = claimingAfter(open, async () => {
      // The other job sends them; the platform stores them but its answer is lost.
      sim.state.lost = true;
      await expect(deliverVersions(sim.target, SEAL, open, ids, { leaseMs: LEASE_MS })).rejects.toThrow();
      sim.state.lost = false;
      const rows = await open.getDeliveries(keys);
      expect(rows.map((r) => [r.state, r.attempts, r.leaseLapsed])).toEqual(
        keys.map(() => ['pending', 1, undefined]),
      );
    });

    expect(await deliverVersions(sim.target, SEAL, late, ids)).toMatchObject({ accepted: 0, waiting: 3 });
    expect([...sim.received.values()]).toEqual(keys.map(() => 1));

    // The job after it reads the attempt, and asks.
    expect(await deliverVersions(sim.target, SEAL, open, ids)).toMatchObject({ skipped: 3 });
    expect([...sim.received.values()]).toEqual(keys.map(() => 1));
    expect([...new Set(sim.polled)].sort()).toEqual([...keys].sort());
  });

  it('is not sent once another sender took it while this one asked the platform, and died', async () => {
    const { open, ids, keys, url } = await setUp('claimed-after-read-asked', 51);
    const sim = platform();
    const [landed, ...rest] = [...keys].sort();
    const runOut = async (leased: number) =>
      expect(
        await ageLeases(url, 'deliveries', newRowLeaseMs(LEASE_MS) + 1_000, (q) =>
          q.whereIn('version_id', [...ids]),
        ),
      ).toBe(leased);
    // A sender before took them and died: run out, so this one asks the platform first. One had
    // landed (its answer is recorded, and the rows are read again); the others had not.
    expect(await open.claimDeliveries(keys, 'sender-a', LEASE_MS)).toHaveLength(keys.length);
    await runOut(keys.length);
    sim.received.set(landed as string, 1);
    const late = readingAgainAfter(open, async () => {
      // Meanwhile another job read them run out too, took the two, sent them and died.
      const readByB = await open.getDeliveries(rest);
      expect((await open.claimDeliveries(rest, 'sender-b', LEASE_MS, readByB)).sort()).toEqual(rest);
      for (const k of rest) sim.received.set(k, 1);
      // The one that landed is recorded accepted, its lease ended: two leases left.
      await runOut(rest.length);
    });

    // Asked about under sender-a's lease: sender-b's, run out since, is not this call's to take.
    expect(await deliverVersions(sim.target, SEAL, late, ids)).toMatchObject({ skipped: 1, waiting: 2 });
    expect([...sim.received.values()]).toEqual(keys.map(() => 1));
    // The job after it reads them run out under sender-b, and asks: accepted, none sent again.
    expect(await deliverVersions(sim.target, SEAL, open, ids)).toMatchObject({ skipped: 3 });
    expect([...sim.received.values()]).toEqual(keys.map(() => 1));
  });

  it('is not sent once a sender before it answers late between its claim and its send', async () => {
    const { open, ids, keys, url } = await setUp('claimed-after-read-late', 41);
    const sim = platform();
    // The sender before took them and sent; its lease ran out before its answer came.
    expect((await open.claimDeliveries(keys, 'sender-before', LEASE_MS)).sort()).toEqual([...keys].sort());
    expect(
      await ageLeases(url, 'deliveries', LEASE_MS + 1_000, (q) => q.whereIn('version_id', [...ids])),
    ).toBe(keys.length);
    const late = claimingAfter(
      open,
      async () => {
        // Claimed, its files not read yet: the earlier request lands after this sender asked about
        // it, and its answer, timed out, is recorded as an attempt (no lease needed for that).
        for (const k of keys) sim.received.set(k, 1);
        await open.recordDeliveryAttempt(keys, { error: 'answer timed out', reason: 'timeout' });
      },
      1,
    );

    // Read run out and asked about (not received yet), claimed, then not sent: written since the read.
    const sent = await deliverVersions(sim.target, SEAL, late, ids);
    expect([...sim.received.values()]).toEqual(keys.map(() => 1));
    expect(sent).toMatchObject({ accepted: 0, waiting: 3 });

    // The job after it reads the attempt, and asks: recorded accepted, not sent again.
    expect(await deliverVersions(sim.target, SEAL, open, ids)).toMatchObject({ skipped: 3 });
    expect([...sim.received.values()]).toEqual(keys.map(() => 1));
    expect((await open.getDeliveries(keys)).map((r) => r.state)).toEqual(keys.map(() => 'accepted'));
  });
});
