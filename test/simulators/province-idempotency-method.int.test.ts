/**
 * The province simulator keeps the first answer to an `Idempotency-Key` of a batch upload
 * (`POST /licenses/batch`). Asked for it by path alone, it answered a `GET`, `PUT` or `DELETE` of
 * `/licenses/batch` carrying a used key with the stored upload answer (`200`, `idempotent-replayed`)
 * instead of the `405` it gives such a request without one: a client calling the endpoint with the
 * wrong method was told its batch was taken, and the counters said the gateway replayed it. A
 * gateway keys what it keeps on the method too (draft-ietf-httpapi-idempotency-key-header: only
 * POST and PATCH are kept), so only a `POST` is answered from the memory.
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

const wireItem = (licenseId: string) => ({
  key: `${licenseId}:1:province`,
  operation: '01',
  license: {
    zzbs: `1.2.156.3005.2.X.Y.${licenseId}.001.F`,
    zzbh: `NO-${licenseId}`,
    czztdm: '91370211MA3C000000',
    zmxx: { a: 1 },
  },
  signature: { algorithm: 'SM2-SM3', value: 'ab', digest: 'cd', sealId: 's' },
});

async function send(url: string, method: string, key: string, body?: string) {
  const res = await fetch(url, {
    method,
    headers: { 'content-type': 'application/json', 'idempotency-key': key },
    ...(body === undefined ? {} : { body }),
  });
  return { status: res.status, replayed: res.headers.get('idempotent-replayed'), body: await res.text() };
}

describe('province simulator: Idempotency-Key and the request method', () => {
  it.each([
    ['GET', undefined],
    ['DELETE', undefined],
    ['PUT', JSON.stringify({ items: [wireItem('lic-2')] })],
  ])(
    '%s /licenses/batch under a used key is refused as for any key, not answered the upload',
    async (method, body) => {
      const sim = await simulator();
      const url = `${sim.url}/licenses/batch`;
      const first = await send(url, 'POST', 'key-method', JSON.stringify({ items: [wireItem('lic-1')] }));
      expect(first.status).toBe(200);
      const fresh = await send(url, method, 'key-never-used', body);
      const used = await send(url, method, 'key-method', body);
      expect(fresh.status).toBe(405);
      expect({ status: used.status, replayed: used.replayed }).toEqual({ status: 405, replayed: null });
      expect(sim.stats().idempotentReplays ?? 0).toBe(0);
      expect(sim.licenses().map((l) => l.key)).toEqual(['lic-1:1:province']);
    },
  );

  it('a POST under the used key with another batch is still answered the first upload', async () => {
    const sim = await simulator();
    const url = `${sim.url}/licenses/batch`;
    const first = await send(url, 'POST', 'key-post', JSON.stringify({ items: [wireItem('lic-1')] }));
    const again = await send(url, 'POST', 'key-post', JSON.stringify({ items: [wireItem('lic-3')] }));
    expect(again).toEqual({ ...first, replayed: 'true' });
  });
});
