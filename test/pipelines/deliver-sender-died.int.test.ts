/**
 * A sender that died between the platform's answer and the ledger's write of it (killed, or its
 * ledger write failed): the platform holds the licenses, the ledger still has them `pending` with
 * no attempt counted, leased to the dead sender until its lease runs out. The job that takes them
 * over sent them again unasked, as if never sent: the platform received each twice. A delivery
 * whose sender's lease ran out before it recorded an answer or let it go is now asked about first,
 * as a send whose answer was lost is: what the platform holds is recorded, not sent again.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type {
  DeliveryItem,
  DeliveryOutcome,
  SubmittedDelivery,
  TargetAdapter,
} from '../../adapters/platforms/target.js';
import type { Ledger } from '../../ledger/ledger.js';
import { openLedger } from '../../ledger/open-ledger.js';
import { deliverVersions } from '../../pipelines/stages/deliver.js';
import { BACKENDS, quietLogger, type TestDatabase } from '../ledger/backends.js';
import { candidates } from '../ledger/fixtures.js';
import { signedRuns } from '../ledger/signed-runs.js';
import { until } from '../support/until.js';
import { dyingAfterTheAnswer } from './dying-sender.js';

const SEAL = 'seal-sender-died';

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
        deliverVersions(sim.platform, SEAL, dyingAfterTheAnswer(open), ids, { leaseMs: 200 }),
      ).rejects.toThrow('sender died');
      const rows = await open.ensureDeliveries(ids, 'province');
      expect(rows.map((r) => [r.state, r.attempts])).toEqual(rows.map(() => ['pending', 0]));
      expect([...sim.received.values()]).toEqual(rows.map(() => 1));

      // Another job takes them once the lease has run out (until then it finds them held, waiting).
      await until(async () => (await deliverVersions(sim.platform, SEAL, open, ids)).waiting === 0);
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
        deliverVersions(sim.platform, SEAL, dyingAfterTheAnswer(open), ids, { leaseMs: 200 }),
      ).rejects.toThrow('sender died');
      const keys = (await open.ensureDeliveries(ids, 'province')).map((r) => r.key);

      // The next job reads them while the dead sender's lease still runs, and claims once it has run out.
      let late = true;
      const lateClaims = new Proxy(open, {
        get(target, prop, receiver) {
          if (prop === 'claimDeliveries')
            return async (...args: Parameters<Ledger['claimDeliveries']>) => {
              if (late)
                await until(async () =>
                  (await open.getDeliveries(keys)).every((r) => r.leaseLapsed === true),
                );
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
      await until(async () => (await open.getDeliveries(keys)).every((r) => r.leaseLapsed === true));
      expect(await deliverVersions(sim.platform, SEAL, open, ids)).toMatchObject({ skipped: 3 });
      expect([...sim.received.values()]).toEqual(keys.map(() => 1));
      expect((await open.getDeliveries(keys)).map((r) => r.state)).toEqual(keys.map(() => 'accepted'));
    });
  },
);
