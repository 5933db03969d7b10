/**
 * Delivery leases by the ledger's clock, not each sender's host's (ledger/db-clock.ts), on both
 * ledger backends. Before, a lease's end was written with the writer's clock and judged with the
 * reader's: a sender on a host 10 minutes ahead took the deliveries a live sender held and sent
 * them again under the same idempotency key (a platform asked twice), and one 10 minutes behind
 * waited 10 minutes past a lease that had run out. Each host here is this process with `Date`
 * faked; a lease running out is its end moved back in the database (test/ledger/clock-skew.ts).
 */
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { newRowLeaseMs } from '../../ledger/delivery-claims.js';
import type { Ledger } from '../../ledger/ledger.js';
import { openLedger } from '../../ledger/open-ledger.js';
import { BACKENDS, quietLogger, type TestDatabase } from '../ledger/backends.js';
import { ageLeases, atHost, SKEW_MS } from '../ledger/clock-skew.js';
import { candidate } from '../ledger/fixtures.js';
import { signedRuns } from '../ledger/signed-runs.js';

const PIPELINE = 'lease-skew';
const SEAL = 'seal-lease-skew';
const TARGET = 'city';
const LEASE_MS = 60_000;
/** Senders on two hosts. */
const WRITER = 'sender-a';
const OTHER = 'sender-b';

describe.each(BACKENDS)('delivery leases by the ledger clock, hosts 10 minutes apart ($name)', (backend) => {
  let database: TestDatabase;
  let ledger: Ledger;
  let next = 0;
  const commit = signedRuns(() => ledger, PIPELINE, SEAL);
  /** Two new signed versions, not yet delivered. */
  const versions = () => commit([1, 2].map(() => candidate({ n: ++next, pipeline: PIPELINE })));
  const owed = () =>
    ledger.undeliveredVersionIds({ pipeline: PIPELINE, sealId: SEAL, target: TARGET, limit: 1000 });

  beforeAll(async () => {
    database = await backend.create();
    ledger = await openLedger(database.url, { logger: quietLogger });
  });

  afterEach(() => {
    vi.useRealTimers();
  });

  afterAll(async () => {
    await ledger?.close();
    await database?.dispose();
  });

  it('a sender 10 minutes ahead takes nothing a live sender 10 minutes behind holds', async () => {
    const ids = await versions();
    const keys = await atHost(-SKEW_MS, async () =>
      (await ledger.ensureDeliveries(ids, TARGET, { owner: WRITER, leaseMs: LEASE_MS }))
        .map((r) => r.key)
        .sort(),
    );
    await atHost(SKEW_MS, async () => {
      expect(await ledger.claimDeliveries(keys, OTHER, LEASE_MS)).toEqual([]);
      // A sweep does not queue them again, and a verdict drawn without the lease is not written.
      expect((await owed()).filter((id) => ids.includes(id))).toEqual([]);
      const dead = keys.map((key) => ({ key, state: 'dead' as const, unleased: { owner: OTHER } }));
      expect(await ledger.recordDeliveryOutcomes(dead)).toEqual([]);
    });
    // Renewed from the host behind, the lease still holds against the host ahead.
    await atHost(-SKEW_MS, async () => {
      expect((await ledger.claimDeliveries(keys, WRITER, 2 * LEASE_MS)).sort()).toEqual(keys);
    });
    await atHost(SKEW_MS, async () => {
      expect(await ledger.claimDeliveries(keys, OTHER, LEASE_MS)).toEqual([]);
    });
    expect((await ledger.getDeliveries(keys)).map((d) => d.state)).toEqual(['pending', 'pending']);
  });

  it('a lease of a sender 10 minutes ahead that ran out by the ledger is taken by a host 10 minutes behind', async () => {
    const ids = await versions();
    const keys = await atHost(SKEW_MS, async () =>
      (await ledger.ensureDeliveries(ids, TARGET, { owner: WRITER, leaseMs: LEASE_MS }))
        .map((r) => r.key)
        .sort(),
    );
    const moved = await ageLeases(database.url, 'deliveries', newRowLeaseMs(LEASE_MS) + 1000, (q) =>
      q.whereIn('version_id', ids),
    );
    expect(moved).toBe(2);
    const [first, second] = keys as [string, string];
    await atHost(-SKEW_MS, async () => {
      expect((await owed()).filter((id) => ids.includes(id))).toEqual(ids);
      // The answer of a job that holds no lease is written: the sender that held one died.
      const submitted = {
        key: first,
        state: 'submitted' as const,
        platformId: 'P-1',
        unleased: { owner: OTHER },
      };
      expect(await ledger.recordDeliveryOutcomes([submitted])).toEqual([first]);
      expect(await ledger.claimDeliveries([second], OTHER, LEASE_MS)).toEqual([second]);
    });
    // Now the host behind holds it, live, against a host ahead.
    await atHost(SKEW_MS, async () => {
      expect(await ledger.claimDeliveries([second], WRITER, LEASE_MS)).toEqual([]);
    });
  });
});
