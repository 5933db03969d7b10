/**
 * The province simulator routes `/licenses/batch/` as `/licenses/batch`, but its `Idempotency-Key`
 * memory was asked only for the path without the slash: a second batch under a used key, sent to
 * `/licenses/batch/`, was processed and stored instead of answered with the key's first answer.
 */
import { afterEach, describe, expect, it } from 'vitest';
import {
  type ProvinceSimulator,
  startProvinceSimulator,
} from '../../adapters/simulators/province/province-simulator.js';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function simulator(): Promise<ProvinceSimulator> {
  const sim = await startProvinceSimulator();
  cleanups.push(() => sim.close());
  return sim;
}

const wireItem = (licenseId: string, version: number) => ({
  key: `${licenseId}:${version}:province`,
  operation: version === 1 ? '01' : '09',
  license: {
    zzbs: `1.2.156.3005.2.X.Y.${licenseId}.00${version}.F`,
    zzbh: `NO-${licenseId}`,
    czztdm: '91370211MA3C000000',
    zmxx: { a: 1 },
  },
  signature: { algorithm: 'SM2-SM3', value: 'ab', digest: 'cd', sealId: 's' },
});

async function post(url: string, key: string, items: unknown[]) {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'idempotency-key': key },
    body: JSON.stringify({ items }),
  });
  return { status: res.status, replayed: res.headers.get('idempotent-replayed'), body: await res.json() };
}

describe('province simulator: Idempotency-Key on /licenses/batch/', () => {
  it.each([
    ['/licenses/batch', '/licenses/batch/'],
    ['/licenses/batch/', '/licenses/batch'],
    ['/licenses/batch/', '/licenses/batch//'],
  ])('a batch to %s, then another under its key to %s: the first answer, nothing stored', async (a, b) => {
    const sim = await simulator();
    const first = await post(`${sim.url}${a}`, 'key-slash', [wireItem('lic-1', 1)]);
    const second = await post(`${sim.url}${b}`, 'key-slash', [wireItem('lic-1', 2)]);
    expect(first.status).toBe(200);
    expect(second.replayed).toBe('true');
    expect(second.body).toEqual(first.body);
    expect(sim.licenses().map((l) => l.key)).toEqual(['lic-1:1:province']);
    expect(sim.stats().idempotentReplays).toBe(1);
  });
});
