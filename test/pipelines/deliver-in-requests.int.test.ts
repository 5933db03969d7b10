// The deliver stage reads, builds and sends a job's versions one request (`batchSize`) at a time
// (pipelines/stages/deliver.ts, sendWave): a job holds one request's licenses in memory, and a
// request that fails ends the wave as the target's own batching does (shared/batches.ts).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RestJsonTarget } from '../../adapters/platforms/rest-json/rest-json-target.js';
import type { DeliveryItem, DeliveryOutcome, TargetAdapter } from '../../adapters/platforms/target.js';
import {
  type ProvinceSimulator,
  startProvinceSimulator,
} from '../../adapters/simulators/province/province-simulator.js';
import { ErrorCodes, LicbridgeError } from '../../core/errors.js';
import type { Ledger } from '../../ledger/ledger.js';
import { openLedger } from '../../ledger/open-ledger.js';
import { deliverVersions } from '../../pipelines/stages/deliver.js';
import { BACKENDS, quietLogger, type TestDatabase } from '../ledger/backends.js';
import { candidates } from '../ledger/fixtures.js';
import { signedRuns } from '../ledger/signed-runs.js';
import { restConfig } from '../platforms/license-fixture.js';

const SEAL = 'seal-requests';

/** The province target, with the items of each call counted and the calls named in `failOn` failing before sending. */
function countingTarget(inner: RestJsonTarget, failOn: ReadonlySet<number> = new Set()) {
  const calls: number[] = [];
  const target: TargetAdapter = {
    name: inner.name,
    kind: inner.kind,
    async deliver(items: readonly DeliveryItem[]): Promise<DeliveryOutcome[]> {
      calls.push(items.length);
      if (failOn.has(calls.length)) {
        throw new LicbridgeError(ErrorCodes.TARGET_UNREACHABLE, 'target province: connection reset', {
          retryable: true,
        });
      }
      return inner.deliver(items);
    },
    poll: (submitted) => inner.poll(submitted),
    close: async () => undefined,
  };
  return { target, calls };
}

for (const backend of BACKENDS) {
  describe(`deliver stage, one request at a time (${backend.name} ledger)`, () => {
    let db: TestDatabase;
    let ledger: Ledger;
    let sim: ProvinceSimulator;
    let province: RestJsonTarget;
    const commit = signedRuns(() => ledger, 'requests', SEAL);

    beforeAll(async () => {
      db = await backend.create();
      ledger = await openLedger(db.url, { logger: quietLogger });
      sim = await startProvinceSimulator();
      province = new RestJsonTarget('province', restConfig(sim.url, { batchSize: 3 }));
    });
    afterAll(async () => {
      await province?.close();
      await sim?.close();
      await ledger?.close();
      await db?.dispose();
    });

    it('hands the target one request of versions at a time, and every one lands', async () => {
      const ids = await commit(candidates(1, 7, { pipeline: 'requests' }));
      const { target, calls } = countingTarget(province);
      const r = await deliverVersions(target, SEAL, ledger, ids, { batchSize: 3 });
      expect(r.accepted).toBe(7);
      expect(calls).toEqual([3, 3, 1]);
      expect(sim.stats().accepted).toBe(7);
    });

    it('after an answered request, a failed one leaves the rest unsent and failed; the next try sends only them', async () => {
      const before = sim.stats().received;
      const ids = await commit(candidates(101, 7, { pipeline: 'requests' }));
      const failing = countingTarget(province, new Set([2]));
      await expect(deliverVersions(failing.target, SEAL, ledger, ids, { batchSize: 3 })).rejects.toThrow(
        /4 of 7 deliveries to province did not land yet: target province: connection reset/,
      );
      expect(failing.calls).toEqual([3, 3]);
      expect(sim.stats().received - before).toBe(3);

      const again = countingTarget(province);
      const r = await deliverVersions(again.target, SEAL, ledger, ids, { batchSize: 3 });
      expect(r).toMatchObject({ accepted: 4, skipped: 3 });
      expect(sim.stats().received - before).toBe(7);
      expect(sim.stats().duplicates).toBe(0);
    });

    it('a first request that fails is the whole job’s: thrown, nothing sent after it', async () => {
      const before = sim.stats().received;
      const ids = await commit(candidates(201, 5, { pipeline: 'requests' }));
      const failing = countingTarget(province, new Set([1]));
      await expect(deliverVersions(failing.target, SEAL, ledger, ids, { batchSize: 3 })).rejects.toThrow(
        'target province: connection reset',
      );
      expect(failing.calls).toEqual([3]);
      expect(sim.stats().received - before).toBe(0);

      const r = await deliverVersions(countingTarget(province).target, SEAL, ledger, ids, { batchSize: 3 });
      expect(r.accepted).toBe(5);
      expect(sim.stats().received - before).toBe(5);
    });
  });
}
