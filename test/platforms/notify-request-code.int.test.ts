/**
 * A gateway answering every request with HTTP 200 writes in its `code` what it would have answered
 * as a status: a route missing during a deploy (`404`, `405`), the same idempotency key in flight
 * from another tick (`409`), a body limit (`413`). As statuses, none says anything against the
 * message, and the reminder stays pending for the next tick (docs/lifecycle.md); as codes in a 200
 * each was read as the gateway refusing the message, and the reminder closed `skipped` for good —
 * every reminder of a tick that met a gateway's missing route, no holder ever reminded. A code the
 * gateway numbers its own refusals with (`40001`) still refuses the message.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { ErrorCodes, isLicbridgeError } from '../../core/errors.js';
import { gatewayAnswering, reminderMessage } from './notify-answering.js';

const closers: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const c of closers.splice(0).reverse()) await c();
});

describe('a gateway writing a refusal of the request in its answer code', () => {
  it.each([
    ['404', false],
    ['"405"', false],
    ['409', true],
    ['413', false],
  ])('code %s fails the send (retryable: %s), never refusing the message', async (code, retryable) => {
    const target = await gatewayAnswering(`{"code":${code},"reason":"NO_ROUTE"}`, closers);
    const e = await target.send(reminderMessage).catch((err: unknown) => err);
    expect(isLicbridgeError(e) && [e.code, e.retryable]).toEqual([ErrorCodes.TARGET_REJECTED, retryable]);
    expect(isLicbridgeError(e) && e.message).toContain(`code ${code.replaceAll('"', '')} (NO_ROUTE)`);
  });

  it('as the same statuses do', async () => {
    const target = await gatewayAnswering('{"code":404,"reason":"NO_ROUTE"}', closers, 404);
    const e = await target.send(reminderMessage).catch((err: unknown) => err);
    expect(isLicbridgeError(e) && [e.code, e.retryable]).toEqual([ErrorCodes.TARGET_REJECTED, false]);
  });

  it('a code of the gateway’s own still refuses the message', async () => {
    const target = await gatewayAnswering('{"code":40001,"reason":"BAD_PHONE"}', closers);
    expect(await target.send(reminderMessage)).toEqual({
      state: 'refused',
      reason: 'gateway-refused:BAD_PHONE',
    });
  });
});
