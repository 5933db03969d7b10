/**
 * A listing page none of whose entries names a license id gives the listing nothing to go on after.
 * Pages vary in size (capped by bytes, filtered after the limit), so such a page shorter than asked
 * need not be the last: ended there, every license after it showed missing at the platform. It
 * fails the listing, as a full page of that kind does.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { RestJsonTarget } from '../../adapters/platforms/rest-json/rest-json-target.js';
import { restConfig } from './license-fixture.js';
import { startScriptedServer } from './scripted-server.js';

const closers: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const c of closers.splice(0).reverse()) await c();
});

const id = (i: number) => `lic-${String(i).padStart(6, '0')}`;

/** A platform of 30 entries whose page `unnamedPage` (from 0) gives `unnamedCount` entries naming no license id. */
async function platform(unnamedPage: number, unnamedCount: number) {
  const all = Array.from({ length: 30 }, (_, i) => id(i));
  const server = await startScriptedServer((n, req) => {
    const q = new URL(req.url, 'http://x').searchParams;
    const after = q.get('after') ?? '';
    const asked = all.filter((e) => e > after).slice(0, Number(q.get('limit')));
    if (n === unnamedPage) {
      const items = Array.from({ length: unnamedCount }, () => ({ version: 1, license: {} }));
      return { status: 200, body: { code: 0, items } };
    }
    const items = asked.map((licenseId) => ({ licenseId, version: 1, license: {} }));
    return { status: 200, body: { code: 0, items } };
  });
  closers.push(() => server.close());
  const target = new RestJsonTarget('province', restConfig(server.url, { timeoutMs: 2000 }));
  closers.push(() => target.close());
  return target;
}

async function listAll(target: RestJsonTarget, chunkSize: number): Promise<number> {
  let listed = 0;
  for await (const page of target.list({ chunkSize })) listed += page.length;
  return listed;
}

describe('a listing page that names no license id', () => {
  it('fails the listing when the page is shorter than asked, rather than end it there', async () => {
    const target = await platform(1, 4);
    await expect(listAll(target, 10)).rejects.toThrow(/listing cannot go on: no entry of the page/);
  });

  it('fails the listing when the page is full, as before', async () => {
    const target = await platform(1, 10);
    await expect(listAll(target, 10)).rejects.toThrow(/listing cannot go on: no entry of the page/);
  });

  it('still ends at an empty page', async () => {
    const target = await platform(1, 0);
    expect(await listAll(target, 10)).toBe(10);
  });
});
