/**
 * A claim gives its owner the delivery for `leaseMs` from the claim, however the lease it held
 * came about: the rows a sender created come leased to it and are not written again when claimed,
 * but a claim made some time after they were created (a poll of the platform first, an earlier
 * wave sent) must still leave the whole lease for the send that follows, or another job could
 * claim and send the same delivery while the first is still sending it.
 *
 * The lease's times are the ledger's clock (ledger/db-clock.ts): time passing is the lease's end
 * moved back in the database (test/ledger/clock-skew.ts) instead of waited out. The real time the
 * database calls take runs on top: a boundary it would bring nearer is five seconds away (one second,
 * as it was, failed once on PostgreSQL with the suite running beside it), one it moves further is one.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Ledger } from '../../ledger/ledger.js';
import { openLedger } from '../../ledger/open-ledger.js';
import { BACKENDS, quietLogger, type TestDatabase } from '../ledger/backends.js';
import { ageLeases } from '../ledger/clock-skew.js';
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
      const leaseMs = 60_000;
      const ids = await commit([1, 2].map((n) => candidate({ n, pipeline: 'lease-length' })));
      /** The ledger's clock going on `ms`, for these rows' leases. */
      const pass = async (ms: number) =>
        expect(await ageLeases(db.url, 'deliveries', ms, (q) => q.whereIn('version_id', ids))).toBe(2);
      const rows = await ledger.ensureDeliveries(ids, 'city', { owner: 'sender-a', leaseMs });
      const keys = rows.map((r) => r.key).sort();
      // Created leased for 65 s (the lease and its grace, newRowLeaseMs); claimed past the grace
      // (a poll of the platform first, say), with 49 s of it left, less than a whole lease.
      await pass(16_000);
      expect((await ledger.claimDeliveries(keys, 'sender-a', leaseMs)).sort()).toEqual(keys);
      // The send that follows takes less than a lease from the claim: the rows stay sender-a's
      // past the created lease (a claim that took it as it was would lose them here, 6 s after it ran out).
      await pass(55_000);
      expect(await ledger.claimDeliveries(keys, 'sender-b', leaseMs)).toEqual([]);
      // Past the lease from the claim, a sender that died is taken over.
      await pass(6_000);
      expect((await ledger.claimDeliveries(keys, 'sender-b', leaseMs)).sort()).toEqual(keys);
    });
  });
}
