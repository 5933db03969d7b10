/**
 * A claim gives its owner the delivery for `leaseMs` from the claim, however the lease it held
 * came about: the rows a sender created come leased to it and are not written again when claimed,
 * but a claim made some time after they were created (a poll of the platform first, an earlier
 * wave sent) must still leave the whole lease for the send that follows, or another job could
 * claim and send the same delivery while the first is still sending it.
 *
 * The lease's times are the ledger's clock (`Date`), faked here and set to each moment instead of
 * slept to: the moments are exact, and the 3.5 s a backend waited go (the database calls still run
 * in real time, on real timers).
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Ledger } from '../../ledger/ledger.js';
import { openLedger } from '../../ledger/open-ledger.js';
import { BACKENDS, quietLogger, type TestDatabase } from '../ledger/backends.js';
import { candidate } from '../ledger/fixtures.js';
import { signedRuns } from '../ledger/signed-runs.js';

const SEAL = 'seal-lease-length';

for (const backend of BACKENDS) {
  describe(`a claim's lease length (${backend.name} ledger)`, () => {
    let db: TestDatabase;
    let ledger: Ledger;

    const commit = signedRuns(() => ledger, 'lease-length', SEAL);

    beforeAll(async () => {
      db = await backend.create();
      ledger = await openLedger(db.url, { logger: quietLogger });
    });
    afterAll(async () => {
      await ledger?.close();
      await db?.dispose();
    });

    it('holds a created row for the whole lease from a claim made after some of it went by', async () => {
      const leaseMs = 2_000;
      vi.useFakeTimers({ toFake: ['Date'] });
      try {
        const start = Date.now();
        const at = (ms: number) => vi.setSystemTime(start + ms);
        const ids = await commit([1, 2].map((n) => candidate({ n, pipeline: 'lease-length' })));
        const rows = await ledger.ensureDeliveries(ids, 'city', { owner: 'sender-a', leaseMs });
        const keys = rows.map((r) => r.key).sort();
        // Created leased until 3 s (the lease and its grace, newRowLeaseMs); claimed past the grace
        // (a poll of the platform first, say), with less than a whole lease of it left.
        at(1_200);
        expect((await ledger.claimDeliveries(keys, 'sender-a', leaseMs)).sort()).toEqual(keys);
        // The send that follows takes less than a lease from the claim: the rows stay sender-a's
        // past the created lease (a claim that took it as it was would lose them here).
        at(3_100);
        expect(await ledger.claimDeliveries(keys, 'sender-b', leaseMs)).toEqual([]);
        // Past the lease from the claim, a sender that died is taken over.
        at(3_300);
        expect((await ledger.claimDeliveries(keys, 'sender-b', leaseMs)).sort()).toEqual(keys);
      } finally {
        vi.useRealTimers();
      }
    });
  });
}
