/**
 * The province platform stores a batch and its answer never arrives (the connection held until
 * the client gives up). The delivery stays pending with the attempt counted; the next try asks the
 * platform, learns it holds the records, and records them accepted without sending them again: the
 * platform received each license once.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { RestJsonTarget } from '../../adapters/platforms/rest-json/rest-json-target.js';
import { startProvinceSimulator } from '../../adapters/simulators/province/province-simulator.js';
import { openLedger } from '../../ledger/open-ledger.js';
import { deliverVersions } from '../../pipelines/stages/deliver.js';
import { quietLogger, sqliteBackend } from '../ledger/backends.js';
import { candidates } from '../ledger/fixtures.js';
import { signedRuns } from '../ledger/signed-runs.js';
import { restConfig } from '../platforms/license-fixture.js';

const SEAL = 'seal-lost-answer-sim';
const cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

describe('a batch the platform stored whose answer was lost', () => {
  it('is asked about, recorded accepted, and not sent again', async () => {
    const db = await sqliteBackend.create();
    cleanups.push(() => db.dispose());
    const ledger = await openLedger(db.url, { logger: quietLogger });
    cleanups.push(() => ledger.close());
    // Every batch upload is stored and left unanswered; status requests are answered, by a platform
    // in this process, late whenever it is paused: 4 s a request (1 s could fail the status request
    // under a full suite), which the unanswered upload waits out.
    const sim = await startProvinceSimulator({ faults: { lostAnswerRate: 1, seed: 7 } });
    cleanups.push(() => sim.close());
    const province = new RestJsonTarget('province', restConfig(sim.url, { timeoutMs: 4000 }));
    cleanups.push(() => province.close());
    const ids = await signedRuns(
      () => ledger,
      'lost-answer-sim',
      SEAL,
    )(candidates(1, 3, { pipeline: 'lost-answer-sim' }));

    await expect(deliverVersions(province, SEAL, ledger, ids)).rejects.toMatchObject({ retryable: true });
    expect(sim.stats()).toMatchObject({ received: 3, accepted: 3 });
    const rows = await ledger.ensureDeliveries(ids, 'province');
    expect(rows.map((r) => [r.state, r.attempts])).toEqual([
      ['pending', 1],
      ['pending', 1],
      ['pending', 1],
    ]);

    expect(await deliverVersions(province, SEAL, ledger, ids)).toMatchObject({ skipped: 3, dead: 0 });
    const after = await ledger.getDeliveries(rows.map((r) => r.key));
    expect(after.map((r) => r.state)).toEqual(['accepted', 'accepted', 'accepted']);
    expect(after.every((r) => typeof r.platformId === 'string')).toBe(true);
    expect(sim.stats()).toMatchObject({ received: 3, accepted: 3, duplicates: 0 });
  });
});
