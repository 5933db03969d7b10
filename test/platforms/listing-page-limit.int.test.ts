/**
 * A platform's listing (`GET /licenses/current?after=…&limit=…`) may give fewer entries a page
 * than asked: its own page limit is lower (100 when asked for 500). The listing stopped at the
 * first page shorter than asked, so every license after it looked missing at the platform and a
 * repair would re-send them. It now goes on until an empty page (listing-varying-pages.int.test.ts).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { RestJsonTarget } from '../../adapters/platforms/rest-json/rest-json-target.js';
import type { PlatformRecord } from '../../adapters/platforms/target.js';
import { ErrorCodes, isLicbridgeError } from '../../core/errors.js';
import { restConfig } from './license-fixture.js';
import { type SeenRequest, startScriptedServer } from './scripted-server.js';

const closers: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const c of closers.splice(0).reverse()) await c();
});

const id = (i: number) => `lic-${String(i).padStart(6, '0')}`;

/** A platform holding `total` entries that answers at most `cap` a page, whatever is asked. */
async function platformCapping(total: number, cap: number) {
  const all = Array.from({ length: total }, (_, i) => ({ licenseId: id(i), version: '1', license: {} }));
  const server = await startScriptedServer((_n, req: SeenRequest) => {
    const q = new URL(req.url, 'http://x').searchParams;
    const after = q.get('after') ?? '';
    const limit = Math.min(Number(q.get('limit')), cap);
    return { status: 200, body: { code: 0, items: all.filter((e) => e.licenseId > after).slice(0, limit) } };
  });
  closers.push(() => server.close());
  const target = new RestJsonTarget('province', restConfig(server.url, { timeoutMs: 2000 }));
  closers.push(() => target.close());
  return { target, seen: server.seen };
}

async function listAll(target: RestJsonTarget, chunkSize: number): Promise<PlatformRecord[]> {
  const out: PlatformRecord[] = [];
  for await (const page of target.list({ chunkSize })) out.push(...page);
  return out;
}

const limits = (seen: SeenRequest[]) => seen.map((r) => new URL(r.url, 'http://x').searchParams.get('limit'));

describe('listing a platform whose page limit is below the one asked', () => {
  it('lists every entry when the platform gives 100 a page for 500 asked', async () => {
    const { target, seen } = await platformCapping(250, 100);
    const listed = await listAll(target, 500);
    expect(listed.map((r) => r.licenseId)).toEqual(Array.from({ length: 250 }, (_, i) => id(i)));
    // 100, 100, 50, then the empty page that ends it.
    expect(limits(seen)).toEqual(['500', '500', '500', '500']);
  });

  it('lists every entry when the last page is as full as the others, ending at the empty page', async () => {
    const { target, seen } = await platformCapping(200, 100);
    expect((await listAll(target, 500)).length).toBe(200);
    expect(seen.length).toBe(3);
  });

  it('a platform honouring the size asked is read in its pages and the empty one after', async () => {
    const { target, seen } = await platformCapping(25, 1000);
    expect((await listAll(target, 10)).length).toBe(25);
    expect(seen.length).toBe(4);
  });

  it('a full page whose entries name no license to go on after fails the listing instead of ending it', async () => {
    const server = await startScriptedServer(() => ({
      status: 200,
      body: { code: 0, items: [{ version: 1 }, { version: 1 }] },
    }));
    closers.push(() => server.close());
    const target = new RestJsonTarget('province', restConfig(server.url, { timeoutMs: 2000 }));
    closers.push(() => target.close());
    const e = await listAll(target, 2).then(
      () => undefined,
      (err: unknown) => err,
    );
    expect(isLicbridgeError(e) && e.code).toBe(ErrorCodes.TARGET_REJECTED);
    expect(server.seen.length).toBe(1);
  });
});
