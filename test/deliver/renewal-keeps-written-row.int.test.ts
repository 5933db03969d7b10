/**
 * A lease renewal during a send keeps the lease of a row written since the sender read it. A
 * sender before this one whose lease ran out records its late answer all the same (ledger/leases.ts
 * `endOwnLease`): a timeout, written as an attempt, grows the row's revision while this sender's
 * request is on its way. A renewal claimed with what this sender read (614a14c3) took the row for
 * stale and let go of its lease mid-send; the next job found it free, asked the platform (the
 * request had not landed yet), and sent it again: the platform received it twice.
 *
 * The sender before's lease runs out by its end moved back in the ledger (clock-skew.ts), not
 * waited out. The next job reads the rows once this sender has renewed its leases, as the send runs.
 */
import { describe, expect, it } from 'vitest';
import type { DeliveryItem, DeliveryOutcome, TargetAdapter } from '../../adapters/platforms/target.js';
import type { Ledger } from '../../ledger/ledger.js';
import { type DeliverResult, deliverVersions } from '../../pipelines/stages/deliver.js';
import { BACKENDS } from '../ledger/backends.js';
import { ageLeases } from '../ledger/clock-skew.js';
import { candidates } from '../ledger/fixtures.js';
import { ledgerPerTest } from '../ledger/ledger-per-test.js';
import { signedRuns } from '../ledger/signed-runs.js';
import { pollReceived } from '../pipelines/poll-received.js';

const SEAL = 'seal-renewal-keeps';
/** The sender before's lease, run out by the test. */
const BEFORE_MS = 60_000;
/** The sender's lease: renewed every third of it while its send runs, so the test waits a third. */
const SEND_MS = 6_000;

/**
 * `ledger` as the sender uses it: its claims once `sending` is set are its renewals, and `renewed`
 * settles once the first of them has been written.
 */
function watchedRenewals(ledger: Ledger) {
  let told: (() => void) | undefined;
  const watch = {
    sending: false,
    renewed: new Promise<void>((resolve) => {
      told = resolve;
    }),
    ledger,
  };
  watch.ledger = new Proxy(ledger, {
    get(target, prop, receiver) {
      if (prop === 'claimDeliveries')
        return async (...args: Parameters<Ledger['claimDeliveries']>) => {
          const held = await target.claimDeliveries(...args);
          if (watch.sending) told?.();
          return held;
        };
      const value = Reflect.get(target, prop, receiver);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
  return watch;
}

describe.each(BACKENDS)(
  'a renewal during a send keeps a row written since the read ($name ledger)',
  (backend) => {
    const testLedger = ledgerPerTest(backend);

    it('the next job finds it leased while the send runs, and sends none of it', async () => {
      const { ledger: open, database } = await testLedger();
      const url = database.url;
      const pipeline = 'renewal-keeps';
      const ids = await signedRuns(() => open, pipeline, SEAL)(candidates(71, 2, { pipeline }));
      const keys = (await open.ensureDeliveries(ids, 'province')).map((r) => r.key).sort();
      // The sender before took them and sent; its answer is late, and its lease ran out.
      expect((await open.claimDeliveries(keys, 'sender-before', BEFORE_MS)).sort()).toEqual(keys);
      expect(
        await ageLeases(url, 'deliveries', BEFORE_MS + 1_000, (q) => q.whereIn('version_id', [...ids])),
      ).toBe(keys.length);

      const received = new Map<string, number>();
      const polled: string[] = [];
      const watch = watchedRenewals(open);
      let next: DeliverResult | undefined;
      let sends = 0;
      const target: TargetAdapter = {
        name: 'province',
        kind: 'rest-json',
        deliver: async (items: readonly DeliveryItem[]): Promise<DeliveryOutcome[]> => {
          sends += 1;
          if (sends === 1) {
            // This sender's request, on its way: the sender before's late answer is written, this
            // sender renews its leases, and the next job reads the rows before the request lands.
            watch.sending = true;
            await open.recordDeliveryAttempt(keys, { error: 'answer timed out', reason: 'timeout' });
            await watch.renewed;
            next = await deliverVersions(target, SEAL, open, ids);
          }
          for (const i of items) received.set(i.key, (received.get(i.key) ?? 0) + 1);
          return items.map((i) => ({ key: i.key, state: 'accepted', platformId: `P-${i.key}` }));
        },
        poll: pollReceived(received, polled),
        close: async () => undefined,
      };

      // Read run out, asked about (not received), claimed and sent.
      const sent = await deliverVersions(target, SEAL, watch.ledger, ids, { leaseMs: SEND_MS });
      expect([...received.values()]).toEqual(keys.map(() => 1));
      expect(sends).toBe(1);
      expect(next).toMatchObject({ accepted: 0, waiting: 2 });
      expect(sent).toMatchObject({ accepted: 2 });
      expect((await open.getDeliveries(keys)).map((r) => r.state)).toEqual(keys.map(() => 'accepted'));
    });
  },
);
