/**
 * A gateway that answers every request with HTTP 200 and says in its `code` what happened, as
 * gateways built that way do: `401` or `403` there says its credentials were refused (a token
 * expired, a secret rotated), as the HTTP statuses of the same numbers do. Read as a refusal of
 * the message, each due reminder was closed `skipped` for good and its holder never reminded.
 * It is now a credentials failure (renewed once, else left pending for the next tick).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { ErrorCodes, isLicbridgeError } from '../../core/errors.js';
import { gatewayAnswering, reminderMessage } from './notify-answering.js';

const closers: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const c of closers.splice(0).reverse()) await c();
});

describe('a gateway refusing the credentials in its answer code', () => {
  for (const code of ['401', '"403"']) {
    it(`code ${code}: credentials refused, never a refusal of the message`, async () => {
      const target = await gatewayAnswering(`{"code":${code},"reason":"TOKEN_EXPIRED"}`, closers);
      const e = await target.send(reminderMessage).catch((err: unknown) => err);
      expect(isLicbridgeError(e) && [e.code, e.retryable]).toEqual([ErrorCodes.TARGET_AUTH, false]);
      expect(isLicbridgeError(e) && e.message).toContain(
        `credentials refused: gateway code ${code.replaceAll('"', '')} (TOKEN_EXPIRED)`,
      );
      expect(isLicbridgeError(e) && e.message).not.toContain(reminderMessage.recipient);
    });
  }

  it('another code still refuses the message', async () => {
    const target = await gatewayAnswering('{"code":40001,"reason":"BAD_PHONE"}', closers);
    expect(await target.send(reminderMessage)).toEqual({
      state: 'refused',
      reason: 'gateway-refused:BAD_PHONE',
    });
  });
});
