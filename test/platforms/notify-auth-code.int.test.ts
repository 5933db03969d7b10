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

  it('a reason naming a number is cut as beside an HTTP 401, never carried whole', async () => {
    // The HTTP statuses' reason is scrubbed where it is read (shared/http-failure.ts); the code's was
    // put in the error whole, so an ID number the gateway echoed was in the message a caller logs.
    const target = await gatewayAnswering('{"code":401,"reason":"ID_370211199001011234_EXPIRED"}', closers);
    const e = await target.send(reminderMessage).catch((err: unknown) => err);
    expect(isLicbridgeError(e) && e.code).toBe(ErrorCodes.TARGET_AUTH);
    expect(isLicbridgeError(e) && e.message).toContain('credentials refused: gateway code 401 (');
    expect(isLicbridgeError(e) && e.message).not.toContain('370211199001011234');
  });

  it('another code still refuses the message', async () => {
    const target = await gatewayAnswering('{"code":40001,"reason":"BAD_PHONE"}', closers);
    expect(await target.send(reminderMessage)).toEqual({
      state: 'refused',
      reason: 'gateway-refused:BAD_PHONE',
    });
  });
});
