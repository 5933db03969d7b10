/**
 * The province simulator's lost answer (faults.lostAnswerRate) is a batch the platform stored and
 * whose answer never arrived. A batch it refused stored nothing: held open all the same, it was a
 * held-open request (timeoutRate) by another name, and a batch over the item limit drawn so never
 * got the 413 that has it sent again in halves. Such a refusal is answered.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { MAX_BATCH_ITEMS } from '../../adapters/simulators/province/batch-handler.js';
import {
  type ProvinceSimulator,
  startProvinceSimulator,
} from '../../adapters/simulators/province/province-simulator.js';

let sim: ProvinceSimulator | undefined;
afterEach(async () => {
  await sim?.close();
  sim = undefined;
});

const post = (url: string, body: unknown) =>
  fetch(`${url}/licenses/batch`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
    // Only the failing case waits for it: an answered request returns at once.
    signal: AbortSignal.timeout(10_000),
  });

describe('province simulator: a lost answer drawn for a refused batch', () => {
  it('answers the refusal of a batch over the item limit (413), storing nothing', async () => {
    sim = await startProvinceSimulator({ faults: { lostAnswerRate: 1, seed: 3 } });
    const items = Array.from({ length: MAX_BATCH_ITEMS + 1 }, (_, i) => ({ key: `k${i}` }));
    const res = await post(sim.url, { items });
    expect(res.status).toBe(413);
    expect(sim.stats()).toMatchObject({ received: 0, faultsInjected: 0 });
  });

  it('answers a request that is no batch (400)', async () => {
    sim = await startProvinceSimulator({ faults: { lostAnswerRate: 1, seed: 3 } });
    const res = await post(sim.url, { items: [] });
    expect(res.status).toBe(400);
  });
});
