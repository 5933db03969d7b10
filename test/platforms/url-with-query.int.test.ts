/**
 * A target `url` carrying a query (`https://gw.example.gov.cn/api?tenant=3702`, a gateway routing
 * by tenant). The endpoints' paths were appended to the URL as text, after its query: reminders
 * went to `/api?tenant=3702/messages`, batches to `/api?tenant=3702/licenses/batch`, the base
 * path with a tenant of `3702/messages`. Each request now goes to its path under the base's,
 * the base's query kept after it (and before a query of the request's own), with and without one.
 */
import { createServer } from 'node:http';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { NotifyTarget } from '../../adapters/platforms/notify/notify-target.js';
import { fetchCatalogTypes } from '../../adapters/platforms/rest-json/catalog-fetch.js';
import { RestJsonTarget } from '../../adapters/platforms/rest-json/rest-json-target.js';
import { listenLocal } from '../support/listen-local.js';
import { deliveryItem, restConfig } from './license-fixture.js';

/** Each request's method and URL as the server got it; answers `{ "code": 0 }`, a lookup the platform's 404 (not found). */
const seen: string[] = [];
let origin = '';
let close: () => Promise<void>;

beforeAll(async () => {
  const server = createServer((req, res) => {
    seen.push(`${req.method} ${req.url}`);
    req.resume();
    req.on('end', () => {
      const listing = req.url?.includes('/licenses/current') === true;
      const lookup = !listing && req.method === 'GET' && req.url?.includes('/licenses/') === true;
      res.writeHead(lookup ? 404 : 200, { 'content-type': 'application/json' });
      res.end(
        lookup ? '{"code":404,"reason":"not-found"}' : listing ? '{"items":[]}' : '{"code":0,"types":[]}',
      );
    });
  });
  ({ origin, close } = await listenLocal(server));
});
afterAll(async () => {
  await close?.();
});
beforeEach(() => {
  seen.length = 0;
});

const CASES = [
  { base: '/api?tenant=3702&app=a%20b', prefix: '/api', query: 'tenant=3702&app=a%20b' },
  { base: '/api/?tenant=3702', prefix: '/api', query: 'tenant=3702' },
  { base: '/api', prefix: '/api', query: '' },
  { base: '/', prefix: '', query: '' },
];

for (const { base, prefix, query } of CASES) {
  const under = (path: string, own = '') => {
    const q = [query, own].filter((s) => s !== '').join('&');
    return `${path === '' ? '' : prefix}${path}${q ? `?${q}` : ''}`;
  };

  describe(`a target url ${base}`, () => {
    it('notify: the reminder goes to <path>/messages, the query after it', async () => {
      const target = new NotifyTarget('sms', {
        kind: 'notify',
        url: `${origin}${base}`,
        channel: 'sms',
        auth: { scheme: 'none' },
        template: 'license-expiry',
        timeoutMs: 2000,
        concurrency: 1,
        attempts: 1,
        backoffMs: 10,
      });
      try {
        await target.send({
          key: 'lic-000001:1:30',
          recipient: '13912340002',
          params: { licenseType: 't', number: 'JY1', issuer: 'i', validTo: '2026-12-31', daysLeft: 30 },
        });
      } finally {
        await target.close();
      }
      expect(seen).toEqual([`POST ${under('/messages')}`]);
    });

    it('rest-json: batch, status, lookup, listing and catalog go to their paths, the query after them', async () => {
      const target = new RestJsonTarget('province', restConfig(`${origin}${base}`, { attempts: 1 }));
      try {
        await target.deliver([deliveryItem(1)]).catch(() => undefined);
        await target.poll([{ key: 'lic-000001:1:province' } as never]).catch(() => undefined);
        await target.lookup(['LIC-1']);
        for await (const _ of target.list({ chunkSize: 10 })) break;
      } finally {
        await target.close();
      }
      await fetchCatalogTypes('province', restConfig(`${origin}${base}`, { attempts: 1 }));
      expect(seen).toEqual([
        `POST ${under('/licenses/batch')}`,
        `POST ${under('/licenses/status')}`,
        `GET ${under('/licenses/LIC-1')}`,
        `GET ${under('/licenses/current', 'after=&limit=10')}`,
        `GET ${under('/catalog/types')}`,
      ]);
    });
  });
}
