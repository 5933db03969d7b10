/**
 * A sender that died between the platform's answer and the ledger's write of it (killed, or its
 * ledger write failed): the platform holds the licenses, the ledger still has them `pending` with
 * no attempt counted, leased to the dead sender until its lease runs out. The job that takes them
 * over sent them again unasked, as if never sent: the platform received each twice. A delivery
 * whose sender's lease ran out before it recorded an answer or let it go is now asked about first,
 * as a send whose answer was lost is: what the platform holds is recorded, not sent again.
 *
 * The dead sender's lease is long (10 minutes: it never runs out by itself while a case runs, however
 * loaded the machine), and runs out when a case says so: its end moved back in the ledger, as the
 * ledger's clock going on would (clock-skew.ts). A lease of 200 ms waited out ran out on a loaded
 * machine before the next job read the rows, which then read them lapsed, not held.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { DeliveryItem, DeliveryOutcome, TargetAdapter } from '../../adapters/platforms/target.js';
import { newRowLeaseMs } from '../../ledger/delivery-claims.js';
import type { Ledger } from '../../ledger/ledger.js';
import { openLedger } from '../../ledger/open-ledger.js';
import { deliverVersions } from '../../pipelines/stages/deliver.js';
import { BACKENDS, quietLogger, type TestDatabase } from '../ledger/backends.js';
import { ageLeases } from '../ledger/clock-skew.js';
import { candidates } from '../ledger/fixtures.js';
import { signedRuns } from '../ledger/signed-runs.js';
import { dyingAfterTheAnswer } from './dying-sender.js';
import { pollReceived } from './poll-received.js';

const SEAL = 'seal-sender-died';
/** The dead sender's lease: far past a case's own time, so only `runOut` ends it. */
const LEASE_MS = 10 * 60_000;

/** A platform that accepts what it is sent and answers a status request with what it holds. */
function holdingPlatform() {
  const received = new Map<string, number>();
  const polled: string[] = [];
  const platform: TargetAdapter = {
    name: 'province',
    kind: 'rest-json',
    deliver: async (items: readonly DeliveryItem[]): Promise<DeliveryOutcome[]> => {
      for (const i of items) received.set(i.key, (received.get(i.key) ?? 0) + 1);
      return items.map((i) => ({ key: i.key, state: 'accepted', platformId: `P-${i.key}` }));
    },
    poll: pollReceived(received, polled),
    close: async () => undefined,
  };
  return { platform, received, polled };
}

describe.each(BACKENDS)(
  'deliveries whose sender died after the platform answered ($name ledger)',
  (backend) => {
    let database: TestDatabase | undefined;
    let ledger: Ledger | undefined;
    afterEach(async () => {
      await ledger?.close();
      await database?.dispose();
      ledger = undefined;
      database = undefined;
    });

    /**
     * The ledger's clock going on past the dead sender's lease on these versions' deliveries (a
     * created row's lease with its grace, and a second more); then read lapsed, as a job reads them.
     */
    async function runOut(open: Ledger, ids: readonly number[], keys: readonly string[]): Promise<void> {
      const url = database?.url ?? '';
      const moved = await ageLeases(url, 'deliveries', newRowLeaseMs(LEASE_MS) + 1_000, (q) =>
        q.whereIn('version_id', [...ids]),
      );
      expect(moved).toBe(keys.length);
      expect((await open.getDeliveries(keys)).map((r) => r.leaseLapsed)).toEqual(keys.map(() => true));
    }

    it('are asked about once its lease runs out, recorded accepted, and not sent again', async () => {
      database = await backend.create();
      const open = await openLedger(database.url, { logger: quietLogger });
      ledger = open;
      const ids = await signedRuns(
        () => open,
        'sender-died',
        SEAL,
      )(candidates(1, 3, { pipeline: 'sender-died' }));
      const sim = holdingPlatform();

      // The first sender's send lands; it dies before writing the answer, its leases left to run out.
      await expect(
        deliverVersions(sim.platform, SEAL, dyingAfterTheAnswer(open), ids, { leaseMs: LEASE_MS }),
      ).rejects.toThrow('sender died');
      const rows = await open.ensureDeliveries(ids, 'province');
      expect(rows.map((r) => [r.state, r.attempts])).toEqual(rows.map(() => ['pending', 0]));
      expect([...sim.received.values()]).toEqual(rows.map(() => 1));

      // Another job finds them held while the lease runs: waiting, neither sent nor asked about.
      expect(await deliverVersions(sim.platform, SEAL, open, ids)).toMatchObject({ waiting: 3 });
      expect([...sim.received.values()]).toEqual(rows.map(() => 1));
      expect(sim.polled).toEqual([]);

      // Once it has run out, the next job takes them.
      await runOut(
        open,
        ids,
        rows.map((r) => r.key),
      );
      expect(await deliverVersions(sim.platform, SEAL, open, ids)).toMatchObject({ skipped: 3, waiting: 0 });
      const after = await open.getDeliveries(rows.map((r) => r.key));
      expect(after.map((r) => [r.state, r.platformId])).toEqual(rows.map((r) => ['accepted', `P-${r.key}`]));
      // Each license received once: asked about, not sent again.
      expect([...sim.received.values()]).toEqual(rows.map(() => 1));
      expect([...new Set(sim.polled)].sort()).toEqual(rows.map((r) => r.key).sort());
    });

    it('are not sent by a job that read them leased, though the lease runs out before its claim', async () => {
      database = await backend.create();
      const open = await openLedger(database.url, { logger: quietLogger });
      ledger = open;
      const ids = await signedRuns(
        () => open,
        'sender-died-race',
        SEAL,
      )(candidates(11, 3, { pipeline: 'sender-died-race' }));
      const sim = holdingPlatform();
      await expect(
        deliverVersions(sim.platform, SEAL, dyingAfterTheAnswer(open), ids, { leaseMs: LEASE_MS }),
      ).rejects.toThrow('sender died');
      const keys = (await open.ensureDeliveries(ids, 'province')).map((r) => r.key);

      // The next job reads them while the dead sender's lease still runs, and claims once it has run
      // out: any claim it makes runs the lease out first.
      let late = true;
      const lateClaims = new Proxy(open, {
        get(target, prop, receiver) {
          if (prop === 'claimDeliveries')
            return async (...args: Parameters<Ledger['claimDeliveries']>) => {
              if (late) await runOut(open, ids, keys);
              late = false;
              return open.claimDeliveries(...args);
            };
          const value = Reflect.get(target, prop, receiver);
          return typeof value === 'function' ? value.bind(target) : value;
        },
      });
      expect(await deliverVersions(sim.platform, SEAL, lateClaims, ids)).toMatchObject({ waiting: 3 });
      expect([...sim.received.values()]).toEqual(keys.map(() => 1));

      // The job after it reads them lapsed, and asks.
      await runOut(open, ids, keys);
      expect(await deliverVersions(sim.platform, SEAL, open, ids)).toMatchObject({ skipped: 3 });
      expect([...sim.received.values()]).toEqual(keys.map(() => 1));
      expect((await open.getDeliveries(keys)).map((r) => r.state)).toEqual(keys.map(() => 'accepted'));
    });
  },
);
