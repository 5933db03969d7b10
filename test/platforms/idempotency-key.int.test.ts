/**
 * `Idempotency-Key` as the gateway in front of a real platform honours it: the first answer to a
 * key is replayed for any later request carrying that key. A key that is the same for two
 * different batches — say v1 and v2 of one license, if the key left out the version — would make
 * the platform answer the v2 revocation with v1's receipt and never record it.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { RestJsonTarget } from '../../adapters/platforms/rest-json/rest-json-target.js';
import {
  type ProvinceSimulator,
  startProvinceSimulator,
} from '../../adapters/simulators/province/province-simulator.js';
import { deliveryItem, restConfig, sampleLicense } from './license-fixture.js';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function simulator(): Promise<ProvinceSimulator> {
  const sim = await startProvinceSimulator();
  cleanups.push(() => sim.close());
  return sim;
}

/** A hand-written wire item, independent of the adapter's payload code. */
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
  const res = await fetch(`${url}/licenses/batch`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'idempotency-key': key },
    body: JSON.stringify({ items }),
  });
  return {
    replayed: res.headers.get('idempotent-replayed'),
    body: (await res.json()) as { batchId: string; results: { key: string; status: string }[] },
  };
}

describe('province simulator: Idempotency-Key replays the first answer', () => {
  it('answers a different batch under a used key with the first answer, and does not process it', async () => {
    const sim = await simulator();
    const first = await post(sim.url, 'same-key', [wireItem('lic-1', 1)]);
    const second = await post(sim.url, 'same-key', [wireItem('lic-1', 2)]);
    expect(first.replayed).toBeNull();
    expect(second.replayed).toBe('true');
    expect(second.body).toEqual(first.body);
    expect(sim.licenses().map((l) => l.key)).toEqual(['lic-1:1:province']);
    expect(sim.stats().idempotentReplays).toBe(1);
  });

  it('processes a different batch under a new key', async () => {
    const sim = await simulator();
    await post(sim.url, 'key-1', [wireItem('lic-1', 1)]);
    const second = await post(sim.url, 'key-2', [wireItem('lic-1', 2)]);
    expect(second.replayed).toBeNull();
    expect(second.body.results).toMatchObject([{ key: 'lic-1:2:province', status: 'accepted' }]);
    expect(
      sim
        .licenses()
        .map((l) => l.key)
        .sort(),
    ).toEqual(['lic-1:1:province', 'lic-1:2:province']);
  });
});

describe('rest-json target: each version of a license goes under its own Idempotency-Key', () => {
  it('delivers an update and a revocation after the issue, each recorded by the platform', async () => {
    const sim = await simulator();
    const t = new RestJsonTarget('province', restConfig(sim.url));
    cleanups.push(() => t.close());

    const issue = deliveryItem(1);
    const update = deliveryItem(1, {
      version: 2,
      operation: 'update',
      license: sampleLicense(1, { areaCode: '370212' }),
    });
    const revoke = deliveryItem(1, {
      version: 3,
      operation: 'revoke',
      license: sampleLicense(1, { status: 'revoked' }),
    });
    for (const item of [issue, update, revoke]) {
      const [outcome] = await t.deliver([item]);
      expect(outcome).toMatchObject({ key: item.key, state: 'accepted' });
    }
    expect(sim.stats().idempotentReplays ?? 0).toBe(0);
    expect(
      sim
        .licenses()
        .map((l) => l.key)
        .sort(),
    ).toEqual([issue.key, update.key, revoke.key]);
    expect(sim.licenses().find((l) => l.key === revoke.key)?.license).toMatchObject({
      zzzt: expect.any(String),
    });
  });
});
