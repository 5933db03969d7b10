import { afterEach, describe, expect, it } from 'vitest';
import {
  type ProvinceSimulator,
  startProvinceSimulator,
} from '../../adapters/simulators/province/province-simulator.js';

const running: ProvinceSimulator[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((s) => s.close()));
});

/** A wire item written by hand, so this test does not depend on the adapter's payload code. */
function wireItem(licenseId: string, version: number) {
  return {
    key: `${licenseId}:${version}:province`,
    operation: version === 1 ? '01' : '09',
    license: {
      zzbs: `1.2.156.3005.2.X.Y.${licenseId}.00${version}.F`,
      zzbh: `NO-${licenseId}`,
      czztdm: '370211199001011234',
    },
    signature: { value: 'ab' },
  };
}

interface Result {
  key: string;
  status: string;
  platformId: string | null;
}

async function post(url: string, path: string, body: unknown): Promise<Result[]> {
  const res = await fetch(`${url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return ((await res.json()) as { results: Result[] }).results;
}

/**
 * A platform that reviews gives a license its id when the first version is submitted, and keeps
 * that one id across its versions — a second version sent while the first is still under review
 * included. Two ids for one license left the platform's current view naming the second, and a
 * sender that kept the first id per license pointing at nothing.
 */
describe('province simulator under review: one platform id per license', () => {
  it('gives a version submitted while an earlier one is under review the same id', async () => {
    const sim = await startProvinceSimulator({ review: { polls: 0 } });
    running.push(sim);
    const [first] = await post(sim.url, '/licenses/batch', { items: [wireItem('L1', 1)] });
    const [second] = await post(sim.url, '/licenses/batch', { items: [wireItem('L1', 2)] });
    const [other] = await post(sim.url, '/licenses/batch', { items: [wireItem('L2', 1)] });
    expect(first?.status).toBe('submitted');
    expect(second?.platformId).toBe(first?.platformId);
    expect(other?.platformId).not.toBe(first?.platformId);

    const decided = await post(sim.url, '/licenses/status', { keys: ['L1:1:province', 'L1:2:province'] });
    expect(decided.map((r) => [r.status, r.platformId])).toEqual([
      ['accepted', first?.platformId],
      ['accepted', first?.platformId],
    ]);
    const view = (await (await fetch(`${sim.url}/licenses/L1`)).json()) as { platformId: string };
    expect(view.platformId).toBe(first?.platformId);
    expect(sim.licenses().map((e) => [e.key, e.platformId])).toEqual([
      ['L1:1:province', first?.platformId],
      ['L1:2:province', first?.platformId],
    ]);
  });

  it('gives two versions of a new license in one batch the same id', async () => {
    const sim = await startProvinceSimulator({ review: { polls: 1 } });
    running.push(sim);
    const results = await post(sim.url, '/licenses/batch', { items: [wireItem('L3', 1), wireItem('L3', 2)] });
    expect(results.map((r) => r.status)).toEqual(['submitted', 'submitted']);
    expect(results[1]?.platformId).toBe(results[0]?.platformId);
  });
});
