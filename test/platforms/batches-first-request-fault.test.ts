// A fault of no known kind (not licbridge's: the adapter's own, reading an answer) stopping a
// call's first request left shared/batches.ts `sendInBatches` as thrown: no target, no request, no
// code, where the same fault in a later request is named ('target t: batch upload to … failed
// unexpectedly', its text the cause only: it may quote a license's holder).
import { describe, expect, it } from 'vitest';
import { sendInBatches } from '../../adapters/platforms/shared/batches.js';
import { ErrorCodes, isLicbridgeError } from '../../core/errors.js';

const request = { target: 't', action: 'batch upload', to: 'https://platform.example:8443' };
const fault = () => new TypeError('reading answer: cannot read properties of undefined (holder 13912340001)');

describe("a fault of no known kind in a call's first request", () => {
  it('is thrown named by the target, its request and where it went, the fault its cause', async () => {
    const thrown = fault();
    const error = await sendInBatches(
      [1, 2, 3],
      1,
      async () => {
        throw thrown;
      },
      undefined,
      request,
    ).then(
      () => undefined,
      (e: unknown) => e,
    );

    expect(isLicbridgeError(error)).toBe(true);
    if (!isLicbridgeError(error)) return;
    expect(error.message).toBe('target t: batch upload to https://platform.example:8443 failed unexpectedly');
    expect(error.code).toBe(ErrorCodes.INTERNAL);
    expect(error.cause).toBe(thrown);
    expect(error.context).toMatchObject({ target: 't' });
    expect(error.message).not.toContain('13912340001');
  });

  it('reads as the same fault in a later request does', async () => {
    const thrown = fault();
    const first = await sendInBatches(
      [1],
      1,
      async () => {
        throw thrown;
      },
      undefined,
      request,
    ).catch((e: unknown) => e);
    const later = await sendInBatches(
      [1, 2],
      1,
      async (c) => {
        if (c.includes(2)) throw thrown;
      },
      undefined,
      request,
    );

    expect(isLicbridgeError(first)).toBe(true);
    if (!isLicbridgeError(first) || !later) return;
    expect([first.message, first.code, first.retryable]).toEqual([
      later.error.message,
      later.error.code,
      later.error.retryable,
    ]);
  });
});
