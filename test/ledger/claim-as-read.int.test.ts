/**
 * A claim given what its sender read of the deliveries (ledger/delivery-claims.ts `asRead`) leases
 * none that another sender took or wrote since: a lease of another's run out is taken only where
 * it was read run out, and a row written since (its revision grew) is not leased, even one the
 * sender holds still (a late answer of a sender before it leaves the lease as it is), and is let
 * go. Without `asRead` a claim is as it was. Leases run out by their ends moved back in the ledger
 * (clock-skew.ts), not waited out.
 */
import { describe, expect, it } from 'vitest';
import { BACKENDS } from './backends.js';
import { ageLeases } from './clock-skew.js';
import { candidates } from './fixtures.js';
import { ledgerPerTest } from './ledger-per-test.js';
import { signedRuns } from './signed-runs.js';

const SEAL = 'seal-claim-as-read';
const LEASE_MS = 60_000;

describe.each(BACKENDS)('a claim as its sender read the deliveries ($name ledger)', (backend) => {
  const testLedger = ledgerPerTest(backend);

  async function setUp(pipeline: string, first: number, count = 2) {
    const { ledger: open, database } = await testLedger();
    const ids = await signedRuns(() => open, pipeline, SEAL)(candidates(first, count, { pipeline }));
    const keys = (await open.ensureDeliveries(ids, 'province')).map((r) => r.key).sort();
    const url = database.url;
    const runOut = async () =>
      expect(await ageLeases(url, 'deliveries', LEASE_MS + 1_000, (q) => q.whereIn('version_id', ids))).toBe(
        keys.length,
      );
    return { open, keys, ids, runOut, url };
  }

  it('takes a run-out lease of another only where it was read run out', async () => {
    const { open, keys, runOut } = await setUp('claim-as-read-lapsed', 41);
    const readFree = await open.getDeliveries(keys);
    expect((await open.claimDeliveries(keys, 'sender-a', LEASE_MS)).sort()).toEqual(keys);
    await runOut();
    // Read before sender-a took them: not sender-b's, though sender-a's lease ran out.
    expect(await open.claimDeliveries(keys, 'sender-b', LEASE_MS, readFree)).toEqual([]);
    // Read run out (and asked about): sender-b's.
    const readLapsed = await open.getDeliveries(keys);
    expect(readLapsed.map((r) => r.leaseLapsed)).toEqual(keys.map(() => true));
    expect((await open.claimDeliveries(keys, 'sender-b', LEASE_MS, readLapsed)).sort()).toEqual(keys);
  });

  it('takes a run-out lease only while it is still the one read, not one taken since that ran out', async () => {
    const { open, keys, runOut } = await setUp('claim-as-read-same-lease', 71);
    expect((await open.claimDeliveries(keys, 'sender-a', LEASE_MS)).sort()).toEqual(keys);
    await runOut();
    // Read run out under sender-a, and asked about; meanwhile sender-b took them as it read them,
    // sent, and died: its lease ran out too, no attempt written, the revision as it was.
    const readLapsed = await open.getDeliveries(keys);
    expect(readLapsed.map((r) => r.leaseLapsed)).toEqual(keys.map(() => true));
    const readByB = await open.getDeliveries(keys);
    expect((await open.claimDeliveries(keys, 'sender-b', LEASE_MS, readByB)).sort()).toEqual(keys);
    await runOut();
    // sender-b's run-out lease is not the one sender-c read (run out under sender-a): not its to take.
    expect(await open.claimDeliveries(keys, 'sender-c', LEASE_MS, readLapsed)).toEqual([]);
    // Read again (run out under sender-b, and asked about): sender-c's.
    const again = await open.getDeliveries(keys);
    expect(again.map((r) => r.leaseLapsed)).toEqual(keys.map(() => true));
    expect((await open.claimDeliveries(keys, 'sender-c', LEASE_MS, again)).sort()).toEqual(keys);
  });

  it('takes more run-out leases read so than one condition of SQLite may list (its depth of 1,000)', async () => {
    // A sender starting after another died reads a whole wave run out. A claim that made each lease
    // read a term of its condition was refused whole on SQLite, which nests none deeper than 1,000.
    const { open, keys, runOut } = await setUp('claim-as-read-many', 1_001, 1_200);
    expect(await open.claimDeliveries(keys, 'sender-a', LEASE_MS)).toHaveLength(keys.length);
    await runOut();
    const readLapsed = await open.getDeliveries(keys);
    expect((await open.claimDeliveries(keys, 'sender-b', LEASE_MS, readLapsed)).sort()).toEqual(keys);
  });

  it("takes a version's run-out lease only at the target it was read run out at", async () => {
    const { open, keys, ids, url } = await setUp('claim-as-read-targets', 61);
    const atCity = (await open.ensureDeliveries(ids, 'city')).map((r) => r.key).sort();
    const cityFree = await open.getDeliveries(atCity);
    expect((await open.claimDeliveries([...keys, ...atCity], 'sender-a', LEASE_MS)).sort()).toEqual(
      [...keys, ...atCity].sort(),
    );
    expect(await ageLeases(url, 'deliveries', LEASE_MS + 1_000, (q) => q.whereIn('version_id', ids))).toBe(
      keys.length + atCity.length,
    );
    // The same versions read run out at one target, free (before sender-a took them) at the other.
    const provinceLapsed = await open.getDeliveries(keys);
    expect(provinceLapsed.map((r) => r.leaseLapsed)).toEqual(keys.map(() => true));
    const claimed = await open.claimDeliveries([...keys, ...atCity], 'sender-b', LEASE_MS, [
      ...provinceLapsed,
      ...cityFree,
    ]);
    expect(claimed.sort()).toEqual(keys);
  });

  it('leases no row written since it was read, held by its sender or not, and lets it go', async () => {
    const { open, keys } = await setUp('claim-as-read-written', 51);
    expect((await open.claimDeliveries(keys, 'sender-b', LEASE_MS)).sort()).toEqual(keys);
    const read = await open.getDeliveries(keys);
    // Written since the read (an attempt counted), sender-b's lease left as it was. A claim asking
    // for less than the lease left (as the look just before a send does) keeps it as it is.
    await open.recordDeliveryAttempt(keys, { error: 'answer timed out', reason: 'timeout' });
    expect(await open.claimDeliveries(keys, 'sender-b', LEASE_MS / 2, read)).toEqual([]);
    // Taken again, then claimed for more than the lease left (a renewal): no more either.
    expect((await open.claimDeliveries(keys, 'sender-b', LEASE_MS)).sort()).toEqual(keys);
    expect(await open.claimDeliveries(keys, 'sender-b', 2 * LEASE_MS, read)).toEqual([]);
    // Let go: another sender takes them at once.
    expect((await open.claimDeliveries(keys, 'sender-c', LEASE_MS)).sort()).toEqual(keys);
    // Read again, they are sender-c's to claim as read.
    const again = await open.getDeliveries(keys);
    expect((await open.claimDeliveries(keys, 'sender-c', LEASE_MS, again)).sort()).toEqual(keys);
  });
});
