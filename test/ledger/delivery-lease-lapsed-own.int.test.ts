/**
 * A delivery's run-out lease read through `ensureDeliveries`: as anyone's (`leaseLapsed`, on a
 * pending row only), and as its own sender's (`leaseLapsedOwn`, on both open states). A poison
 * deliver job given up reads its dead takes' rows so (pipelines/workers/stalled-out.ts): a run-out
 * lease told the same whoever owned it, their rows counted `open`, not `leased` to the dead take.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { Ledger } from '../../ledger/ledger.js';
import { openLedger } from '../../ledger/open-ledger.js';
import { BACKENDS, quietLogger, type TestDatabase } from './backends.js';
import { ageLeases } from './clock-skew.js';
import { candidates } from './fixtures.js';
import { signedRuns } from './signed-runs.js';

const SEAL = 'seal-lapsed-own';
const LEASE_MS = 10 * 60_000;

describe.each(BACKENDS)('a run-out lease read by its owner ($name ledger)', (backend) => {
  let database: TestDatabase | undefined;
  let ledger: Ledger | undefined;
  afterEach(async () => {
    await ledger?.close();
    await database?.dispose();
    ledger = undefined;
    database = undefined;
  });

  it('says whose it was to that owner alone, on pending and rejected rows', async () => {
    database = await backend.create();
    const open = await openLedger(database.url, { logger: quietLogger });
    ledger = open;
    const ids = await signedRuns(
      () => open,
      'lapsed-own',
      SEAL,
    )(candidates(1, 3, { pipeline: 'lapsed-own' }));
    const rows = await open.ensureDeliveries(ids, 'province');
    const [pending, rejected, other] = rows.map((r) => r.key);
    if (!pending || !rejected || !other) throw new Error('three deliveries expected');
    expect(
      await open.recordDeliveryOutcomes([{ key: rejected, state: 'rejected', reasons: ['E-17'] }]),
    ).toEqual([rejected]);
    expect(await open.claimDeliveries([pending, rejected], 'dead-take#1', LEASE_MS)).toEqual([
      pending,
      rejected,
    ]);
    expect(await open.claimDeliveries([other], 'other-job#1', LEASE_MS)).toEqual([other]);
    expect(
      await ageLeases(database.url, 'deliveries', LEASE_MS + 60_000, (q) => q.whereIn('version_id', ids)),
    ).toBe(3);

    const told = async (owner: string) =>
      (await open.ensureDeliveries(ids, 'province', { owner, leaseMs: 1 })).map((r) => [
        r.state,
        r.leaseLapsed ?? false,
        r.leaseLapsedOwn ?? false,
        r.leaseHeld ?? false,
      ]);
    expect(await told('dead-take#1')).toEqual([
      ['pending', true, true, false],
      ['rejected', false, true, false],
      ['pending', true, false, false],
    ]);
    expect(await told('stranger#1')).toEqual([
      ['pending', true, false, false],
      ['rejected', false, false, false],
      ['pending', true, false, false],
    ]);
    // Read by nobody, as before.
    expect(
      (await open.getDeliveries([pending, rejected])).map((r) => [r.leaseLapsed, r.leaseLapsedOwn]),
    ).toEqual([
      [true, undefined],
      [undefined, undefined],
    ]);
  });
});
