/**
 * A gateway answering every request with HTTP 200 keeps the platform's body, and so its not-found
 * answer (`{"code":404,"reason":"not-found"}`) comes in a 200, as its credential refusals and busy
 * codes do (lookup-busy-status, lookup-credential-renewal). Read as a refusal of the lookup, a check
 * failed whenever the platform lacked one license of it — the very difference it is there to
 * report — and every later check failed alike. It is the license absent, as in a 404; any other
 * code 404 in a 200 still fails the lookup.
 */
import { describe, expect, it } from 'vitest';
import { ErrorCodes } from '../../core/errors.js';
import { licbridgeFailure } from '../support/endless-answer.js';
import { restTargetAnswering } from './lookup-stand-in.js';

const answering = restTargetAnswering();

describe("the platform's not-found answer in a 200", () => {
  for (const code of [404, '404']) {
    it(`is an absent license (code ${JSON.stringify(code)})`, async () => {
      const { target } = await answering(() => ({ status: 200, body: { code, reason: 'not-found' } }));
      expect(await target.lookup(['lic-000001'])).toEqual([]);
    });
  }

  it('a code 404 with another reason still fails the lookup', async () => {
    const { target } = await answering(() => ({ status: 200, body: { code: 404, reason: 'no-route' } }));
    const e = await licbridgeFailure(target.lookup(['lic-000001']));
    expect([e.code, e.retryable]).toEqual([ErrorCodes.TARGET_REJECTED, true]);
  });

  it('in a listing page is no page: the listing fails', async () => {
    const { target } = await answering(() => ({ status: 200, body: { code: 404, reason: 'not-found' } }));
    const e = await licbridgeFailure(
      (async () => {
        for await (const _page of target.list()) {
          // No page is expected.
        }
      })(),
    );
    expect(e.code).toBe(ErrorCodes.TARGET_REJECTED);
  });
});
