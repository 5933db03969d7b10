/**
 * A send that takes longer than the lease it was sized for keeps its lease. The lease counts a
 * request per `batchSize` and one more, but an adapter cuts requests at `maxBatchBytes`, halves one
 * answered 413 and sends one again after a 401, each with `timeoutMs`: its lease ran out in the
 * middle of the send, and another job took the deliveries not reached yet, found the platform
 * without them, and sent them too, so the platform received them twice. The sender now renews its
 * leases while its send runs (pipelines/stages/delivery-lease.ts `keptWhileSending`).
 *
 * The ledger's clock going past the lease is its end moved back in the ledger (clock-skew.ts), not
 * waited out: a lease short enough to wait out runs out on a loaded machine before it is read.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type {
  DeliveryItem,
  DeliveryOutcome,
  SubmittedDelivery,
  TargetAdapter,
} from '../../adapters/platforms/target.js';
import { newRowLeaseMs } from '../../ledger/delivery-claims.js';
import type { Ledger } from '../../ledger/ledger.js';
import { openLedger } from '../../ledger/open-ledger.js';
import type { DeliverResult } from '../../pipelines/stages/deliver.js';
import { deliverVersions } from '../../pipelines/stages/deliver.js';
import { BACKENDS, quietLogger, type TestDatabase } from '../ledger/backends.js';
import { ageLeases } from '../ledger/clock-skew.js';
import { candidates } from '../ledger/fixtures.js';
import { rawKnex } from '../ledger/raw-knex.js';
import { signedRuns } from '../ledger/signed-runs.js';
import { until } from '../support/until.js';

const SEAL = 'seal-lease-kept';
/** The send's lease: renewed every third of it while the send runs. */
const LEASE_MS = 3_000;

describe.each(BACKENDS)('a send longer than its lease keeps it ($name ledger)', (backend) => {
  let database: TestDatabase | undefined;
  let ledger: Ledger | undefined;
  afterEach(async () => {
    await ledger?.close();
    await database?.dispose();
    ledger = undefined;
    database = undefined;
  });

  it('another job finds the deliveries still leased and sends none of them', async () => {
    database = await backend.create();
    const url = database.url;
    const open = await openLedger(url, { logger: quietLogger });
    ledger = open;
    const ids = await signedRuns(
      () => open,
      'lease-kept',
      SEAL,
    )(candidates(1, 3, { pipeline: 'lease-kept' }));
    const received = new Map<string, number>();
    const polled: string[] = [];
    let other: DeliverResult | undefined;
    let firstSend = true;
    /** The deliveries as another job reads them: whether another sender's live lease holds each. */
    const heldElsewhere = async () =>
      (await open.ensureDeliveries(ids, 'province', { owner: 'reader', leaseMs: 1_000 })).map(
        (r) => r.leaseHeld ?? false,
      );
    const platform: TargetAdapter = {
      name: 'province',
      kind: 'rest-json',
      deliver: async (items: readonly DeliveryItem[]): Promise<DeliveryOutcome[]> => {
        // The first sender's send: the ledger's clock goes past the lease it was sized for while
        // its requests still run, and another job comes along once the sender has renewed it.
        if (firstSend) {
          firstSend = false;
          const moved = await ageLeases(url, 'deliveries', newRowLeaseMs(LEASE_MS) + 1_000, (q) =>
            q.whereIn('version_id', ids),
          );
          expect(moved).toBe(ids.length);
          await until(async () => (await heldElsewhere()).every(Boolean), undefined, {
            what: "the sender's leases renewed",
          });
          other = await deliverVersions(platform, SEAL, open, ids, { owner: 'other' });
        }
        for (const i of items) received.set(i.key, (received.get(i.key) ?? 0) + 1);
        return items.map((i) => ({ key: i.key, state: 'accepted', platformId: `P-${i.key}` }));
      },
      poll: async (asked: readonly SubmittedDelivery[]): Promise<DeliveryOutcome[]> => {
        polled.push(...asked.map((a) => a.key));
        return asked.map((a) =>
          received.has(a.key)
            ? { key: a.key, state: 'accepted', platformId: `P-${a.key}` }
            : { key: a.key, state: 'failed', retryable: true, reasons: ['no result for the key'] },
        );
      },
      close: async () => undefined,
    };

    const first = await deliverVersions(platform, SEAL, open, ids, { leaseMs: LEASE_MS, owner: 'first' });
    expect(first).toMatchObject({ accepted: 3 });
    // The other job found them leased: it waited, asked nothing and sent nothing.
    expect(other).toMatchObject({ accepted: 0, waiting: 3 });
    expect(polled).toEqual([]);
    expect([...received.values()]).toEqual(ids.map(() => 1));
    const keys = (await open.ensureDeliveries(ids, 'province')).map((r) => r.key);
    expect((await open.getDeliveries(keys)).map((r) => r.state)).toEqual(keys.map(() => 'accepted'));
    // No renewal landed after the answers were written: the rows are nobody's.
    const raw = rawKnex(url);
    try {
      const owners = await raw('deliveries').whereIn('version_id', ids).pluck('claim_owner');
      expect(owners).toEqual(ids.map(() => null));
    } finally {
      await raw.destroy();
    }
  });
});
