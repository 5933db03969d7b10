/**
 * A province platform built on string-typed result fields writes an item's `duplicate` as it writes
 * its `code` (rest-json-string-code.int.test.ts): `"true"`, or as digits, `1` or `"1"`. Only the
 * JSON `true` was read: a license the platform already held was recorded accepted outright, though
 * the platform still shows the version it held (a duplicate is accepted in name only, and counted
 * as owed until resent: docs/reconciliation.md), as a SOAP service's `<duplicate>1</duplicate>`
 * was before (soap-duplicate-boolean.int.test.ts).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { RestJsonTarget } from '../../adapters/platforms/rest-json/rest-json-target.js';
import { deliveryItem, restConfig } from './license-fixture.js';
import { startScriptedServer } from './scripted-server.js';

const closers: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const c of closers.splice(0).reverse()) await c();
});

/** A platform answering every item accepted, its `duplicate` written as `flag`. */
async function targetAnswering(flag: unknown): Promise<RestJsonTarget> {
  const server = await startScriptedServer((_n, req) => {
    const doc = JSON.parse(req.body) as { items?: { key: string }[] };
    const results = (doc.items ?? []).map((i) => ({
      key: i.key,
      status: 'accepted',
      platformId: 'P-1',
      duplicate: flag,
    }));
    return { status: 200, body: { code: 0, results } };
  });
  closers.push(() => server.close());
  const target = new RestJsonTarget('province', restConfig(server.url, { timeoutMs: 2000, attempts: 1 }));
  closers.push(() => target.close());
  return target;
}

describe('a REST/JSON result’s duplicate', () => {
  it.each([true, 'true', ' TRUE ', 1, '1'])('%j is a duplicate', async (flag) => {
    const target = await targetAnswering(flag);
    const [o] = await target.deliver([deliveryItem(1)]);
    expect(o).toMatchObject({ state: 'accepted', platformId: 'P-1', receipt: { duplicate: true } });
  });

  it.each([false, 'false', 0, '0', null, '', 'yes', 2])('%j is none', async (flag) => {
    const target = await targetAnswering(flag);
    const [o] = await target.deliver([deliveryItem(1)]);
    expect(o).toMatchObject({ state: 'accepted', platformId: 'P-1', receipt: { duplicate: false } });
  });
});
