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
 *
 * The send ends with a renewal under way, and one of its deliveries answered retryable: the wave
 * lets go of that one's lease, and a renewal landing after that took it again, leasing a row to a
 * sender done with it, which whoever read it next waited out. The renewal is awaited before the
 * answers are written; the test holds it until the lease is let go, so that one not awaited lands
 * after, and shows as the row's owner.
 *
 * The other job is started once the sender has renewed, or after RENEWAL_WAIT_MS without a renewal
 * begun: a sender that renews nothing then shows as the same deliveries received twice.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { DeliveryItem, DeliveryOutcome, TargetAdapter } from '../../adapters/platforms/target.js';
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
import { pollReceived } from '../pipelines/poll-received.js';
import { until } from '../support/until.js';

const SEAL = 'seal-lease-kept';
/** The send's lease: renewed every third of it while the send runs. */
const LEASE_MS = 3_000;
/** How long the test waits for a renewal to begin: two leases' time, six renewals'. */
const RENEWAL_WAIT_MS = 2 * LEASE_MS;
/**
 * How long a renewal under way as the send ends is held back, unless the sender lets go of its
 * leases first: one awaited holds the wave's writes back, and goes on after this.
 */
const HOLD_MS = 2_000;

/** A delivery row as the test reads it. */
interface Row {
  version_id: number | string;
  state: string;
  attempts: number | string;
  claim_owner: string | null;
}

/** Whether `signal` settles within `ms`. */
async function within(signal: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), ms);
  });
  try {
    return await Promise.race([signal.then(() => true), late]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * `ledger` as the first sender uses it: its claims once `sending` is set are its renewals, each told
 * to whoever waits for the next (`next`); once `hold` is set, the next is held back until the
 * sender lets go of a lease, or for HOLD_MS at most (`held` is when it has landed).
 */
function watchedRenewals(ledger: Ledger) {
  const waiting: (() => void)[] = [];
  let letGo: (() => void) | undefined;
  const watch = {
    sending: false,
    hold: false,
    held: Promise.resolve() as Promise<unknown>,
    next: () =>
      new Promise<void>((resolve) => {
        waiting.push(resolve);
      }),
    ledger: ledger,
  };
  watch.ledger = new Proxy(ledger, {
    get(target, prop, receiver) {
      if (prop === 'claimDeliveries')
        return async (keys: readonly string[], owner: string, ms: number) => {
          if (watch.sending) for (const told of waiting.splice(0)) told();
          if (!watch.sending || !watch.hold) return target.claimDeliveries(keys, owner, ms);
          watch.hold = false;
          const released = new Promise<void>((resolve) => {
            letGo = resolve;
          });
          const renewal = within(released, HOLD_MS).then(() => target.claimDeliveries(keys, owner, ms));
          watch.held = renewal.catch(() => undefined);
          return renewal;
        };
      if (prop === 'releaseDeliveries')
        return async (keys: readonly string[], owner: string) => {
          await target.releaseDeliveries(keys, owner);
          letGo?.();
        };
      const value = Reflect.get(target, prop, receiver);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
  return watch;
}

describe.each(BACKENDS)('a send longer than its lease keeps it ($name ledger)', (backend) => {
  let database: TestDatabase | undefined;
  let ledger: Ledger | undefined;
  afterEach(async () => {
    await ledger?.close();
    await database?.dispose();
    ledger = undefined;
    database = undefined;
  });

  it("another job finds the deliveries still leased and sends none of them, and a retryable one ends nobody's", async () => {
    database = await backend.create();
    const url = database.url;
    const open = await openLedger(url, { logger: quietLogger });
    ledger = open;
    const ids = await signedRuns(
      () => open,
      'lease-kept',
      SEAL,
    )(candidates(1, 3, { pipeline: 'lease-kept' }));
    const keys = (await open.ensureDeliveries(ids, 'province')).map((r) => r.key);
    // The third answered "no result for the key": it may have landed, so it stays `pending`, its
    // attempt counted.
    const retried = keys[2];
    const received = new Map<string, number>();
    const polled: string[] = [];
    let other: DeliverResult | undefined;
    let firstSend = true;
    const first = watchedRenewals(open);
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
        // its requests still run, and another job comes along once the sender has renewed it (or
        // has begun no renewal in RENEWAL_WAIT_MS). The send then ends while a renewal is under way.
        const mine = firstSend;
        if (firstSend) {
          firstSend = false;
          first.sending = true;
          const moved = await ageLeases(url, 'deliveries', newRowLeaseMs(LEASE_MS) + 1_000, (q) =>
            q.whereIn('version_id', ids),
          );
          expect(moved).toBe(ids.length);
          const renewing = await within(first.next(), RENEWAL_WAIT_MS);
          if (renewing)
            await until(async () => (await heldElsewhere()).every(Boolean), undefined, {
              what: "the sender's leases renewed",
            });
          other = await deliverVersions(platform, SEAL, open, ids, { owner: 'other' });
          if (renewing) {
            first.hold = true;
            await within(first.next(), RENEWAL_WAIT_MS);
          }
        }
        for (const i of items) received.set(i.key, (received.get(i.key) ?? 0) + 1);
        return items.map(
          (i): DeliveryOutcome =>
            mine && i.key === retried
              ? {
                  key: i.key,
                  state: 'failed',
                  retryable: true,
                  failure: 'no-result',
                  reasons: ['platform answered without a result for this key'],
                }
              : { key: i.key, state: 'accepted', platformId: `P-${i.key}` },
        );
      },
      poll: pollReceived(received, polled),
      close: async () => undefined,
    };

    const failed = await deliverVersions(platform, SEAL, first.ledger, ids, {
      leaseMs: LEASE_MS,
      owner: 'first',
    }).then(
      () => undefined,
      (e: unknown) => e,
    );
    // A renewal not awaited may still be on its way.
    await first.held;
    // Each delivery was sent once: the other job found them leased, waited, asked nothing.
    expect(keys.map((k) => received.get(k))).toEqual(keys.map(() => 1));
    expect(other).toMatchObject({ accepted: 0, waiting: 3 });
    expect(polled).toEqual([]);
    // The job fails for the one not landed yet, to be tried again; the two accepted are written.
    expect(String(failed)).toContain('1 of 3 deliveries to province did not land yet');
    const raw = rawKnex(url);
    try {
      const rows: Row[] = await raw('deliveries')
        .whereIn('version_id', ids)
        .select('version_id', 'state', 'attempts', 'claim_owner');
      const byVersion = new Map(rows.map((r) => [Number(r.version_id), r]));
      const [one, two, three] = ids.map((id) => byVersion.get(id));
      expect([one?.state, two?.state, three?.state]).toEqual(['accepted', 'accepted', 'pending']);
      expect(Number(three?.attempts)).toBe(1);
      // No renewal landed after the answers were written and the leases let go: the rows are
      // nobody's, the one still `pending` too, so the next job sends it without waiting.
      expect([one, two, three].map((r) => r?.claim_owner)).toEqual([null, null, null]);
    } finally {
      await raw.destroy();
    }
  });
});
