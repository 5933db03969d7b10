/**
 * What the REST/JSON platform holds is read for reconciliation (rest-json/lookup.ts). A 200 that is
 * not the documented answer — a gateway's maintenance page, a busy code — says nothing about what
 * the platform holds: read as "holds nothing", it made every license of the ledger
 * `missing-at-platform` and planned to re-deliver them all. It fails the check instead (retryable),
 * as a delivery does. And a listing page whose entries cannot be mapped still moves the listing on:
 * it asked for the same page forever; its entries are given back marked unreadable, not dropped.
 */
import { describe, expect, it } from 'vitest';
import { ErrorCodes } from '../../core/errors.js';
import { licbridgeFailure } from '../support/endless-answer.js';
import { listAll, restTargetAnswering } from './lookup-stand-in.js';
import type { ScriptedReply } from './scripted-server.js';

const targetAnswering = restTargetAnswering();

const maintenance: ScriptedReply = {
  status: 200,
  headers: { 'content-type': 'text/html; charset=utf-8' },
  body: '<html><body>系统维护中，请稍后再试</body></html>',
};
const busy: ScriptedReply = { status: 200, body: { code: 503, reason: 'SYSTEM_BUSY' } };

describe('reading what the platform holds', () => {
  for (const [label, reply] of [
    ['a maintenance page answered 200', maintenance],
    ['a busy code in a 200', busy],
  ] as const) {
    it(`lookup: ${label} is a retryable failure, not an absent license`, async () => {
      const { target } = await targetAnswering(() => reply);
      const e = await licbridgeFailure(target.lookup(['lic-000001']));
      expect(e.code).toBe(ErrorCodes.TARGET_UNREACHABLE);
      expect(e.retryable).toBe(true);
    });

    it(`list: ${label} is a retryable failure, not the end of the listing`, async () => {
      const { target } = await targetAnswering(() => reply);
      const e = await licbridgeFailure(listAll(target, 10));
      expect(e.code).toBe(ErrorCodes.TARGET_UNREACHABLE);
      expect(e.retryable).toBe(true);
    });
  }

  it('lookup: a 404 is still an absent license', async () => {
    const { target } = await targetAnswering(() => ({
      status: 404,
      body: { code: 404, reason: 'not-found' },
    }));
    expect(await target.lookup(['lic-000001'])).toEqual([]);
  });

  it('list: a full page of entries it cannot map moves on to the next page', async () => {
    const entry = (i: number) => ({
      licenseId: `lic-${String(i).padStart(6, '0')}`,
      // Text that writes no number (digits would be read: platform-entry-version-digits).
      version: 'one',
      license: {},
    });
    const { target, seen } = await targetAnswering((n, req) => {
      if (n > 5) return { status: 500, body: { code: 500, reason: 'TOO_MANY_PAGES' } };
      const after = new URL(req.url, 'http://x').searchParams.get('after') ?? '';
      const items = after === '' ? [0, 1].map(entry) : [];
      return { status: 200, body: { code: 0, items } };
    });
    // Neither is dropped: each comes back marked unreadable, with its place in the listing.
    const listed = await listAll(target, 2);
    expect(listed.map((r) => [r.licenseId, r.unreadable?.position])).toEqual([
      ['lic-000000', 1],
      ['lic-000001', 2],
    ]);
    expect(listed.every((r) => r.unreadable?.reason === 'its version is not a number')).toBe(true);
    expect(seen.length).toBe(2);
    expect(new URL(seen[1]?.url ?? '', 'http://x').searchParams.get('after')).toBe('lic-000001');
  });
});
