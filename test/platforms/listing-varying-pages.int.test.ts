/**
 * A platform's listing (`GET /licenses/current?after=…&limit=…`) says nothing of where it ends but
 * an empty page: no total, no cursor of its own. Its pages need not be of one size — capped by
 * bytes, or filtered after its limit is applied — so a page shorter than one before is not its
 * last. The listing ended there, and every license after it showed missing at the platform.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { RestJsonTarget } from '../../adapters/platforms/rest-json/rest-json-target.js';
import type { PlatformRecord } from '../../adapters/platforms/target.js';
import { restConfig } from './license-fixture.js';
import { startScriptedServer } from './scripted-server.js';

const closers: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const c of closers.splice(0).reverse()) await c();
});

const id = (i: number) => `lic-${String(i).padStart(6, '0')}`;

/** A platform holding `total` entries whose n-th page holds what `pageOf` leaves of those asked. */
async function platform(total: number, pageOf: (n: number, asked: string[]) => string[]) {
  const all = Array.from({ length: total }, (_, i) => id(i));
  const server = await startScriptedServer((n, req) => {
    const q = new URL(req.url, 'http://x').searchParams;
    const after = q.get('after') ?? '';
    const asked = all.filter((e) => e > after).slice(0, Number(q.get('limit')));
    const items = pageOf(n, asked).map((licenseId) => ({ licenseId, version: 1, license: {} }));
    return { status: 200, body: { code: 0, items } };
  });
  closers.push(() => server.close());
  const target = new RestJsonTarget('province', restConfig(server.url, { timeoutMs: 2000 }));
  closers.push(() => target.close());
  return { target, all, seen: server.seen };
}

async function listAll(target: RestJsonTarget, chunkSize: number): Promise<PlatformRecord[]> {
  const out: PlatformRecord[] = [];
  for await (const page of target.list({ chunkSize })) out.push(...page);
  return out;
}

describe('listing a platform whose pages vary in size', () => {
  it('lists every entry when a page is capped shorter than the one before (pages capped by bytes)', async () => {
    const sizes = [100, 60, 100, 30];
    const { target, all } = await platform(400, (n, asked) => asked.slice(0, sizes[n % sizes.length]));
    const listed = await listAll(target, 100);
    expect(listed.map((r) => r.licenseId)).toEqual(all);
  });

  it('lists every entry when the platform filters a page after applying its limit', async () => {
    // Entries the platform hides from this page (a filter after the limit) come on no page at all;
    // the page after goes on from the last entry the page gave.
    const hidden = new Set([id(12), id(13), id(15), id(18)]);
    const { target, all } = await platform(50, (_n, asked) => {
      const page = asked.filter((e) => !hidden.has(e));
      // The last entry of a page is always given, so the next page goes on after it.
      const last = asked[asked.length - 1];
      return last !== undefined && !page.includes(last) ? [...page, last] : page;
    });
    const listed = await listAll(target, 10);
    expect(listed.map((r) => r.licenseId)).toEqual(all.filter((e) => !hidden.has(e)));
  });

  it('ends at the empty page, asking once past the last entry', async () => {
    const { target, seen } = await platform(25, (_n, asked) => asked);
    expect((await listAll(target, 10)).length).toBe(25);
    // 10, 10, 5, then the empty page: only it says the listing has ended.
    expect(seen.map((r) => new URL(r.url, 'http://x').searchParams.get('after'))).toEqual([
      '',
      id(9),
      id(19),
      id(24),
    ]);
  });
});
