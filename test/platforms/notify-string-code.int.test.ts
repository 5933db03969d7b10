/**
 * A gateway writing its result `code` as a JSON string (`"code": "0"`), as gateways built on
 * string-typed result fields do. `"0"` was read as no documented answer at all ("answer is not
 * the documented JSON", retried, the reminder left pending and sent again every tick) while the
 * number 0 was a sent reminder. A code of digits is read as that number, whichever way it is
 * written: `"0"` sent, `"503"` busy, `"40001"` a refusal; any other text is still no answer.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { isLicbridgeError } from '../../core/errors.js';
import { gatewayAnswering, reminderMessage } from './notify-answering.js';

const closers: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const c of closers.splice(0).reverse()) await c();
});

describe('a gateway writing its result code as a string', () => {
  it('"0" with an id: sent, the id kept', async () => {
    const target = await gatewayAnswering('{"code":"0","messageId":"M-1"}', closers);
    expect(await target.send(reminderMessage)).toEqual({ state: 'sent', messageId: 'M-1', replayed: false });
  });

  it('"0" without an id: sent', async () => {
    const target = await gatewayAnswering('{"code":"0"}', closers);
    expect(await target.send(reminderMessage)).toEqual({ state: 'sent', replayed: false });
  });

  it('"40001": refused with its reason, as the number is', async () => {
    const target = await gatewayAnswering('{"code":"40001","reason":"BAD_PHONE"}', closers);
    expect(await target.send(reminderMessage)).toEqual({
      state: 'refused',
      reason: 'gateway-refused:BAD_PHONE',
    });
  });

  it('"503": busy, retryable, never a refusal', async () => {
    const target = await gatewayAnswering('{"code":"503","reason":"SYSTEM_BUSY"}', closers);
    const e = await target.send(reminderMessage).catch((err: unknown) => err);
    expect(isLicbridgeError(e) && [e.retryable, e.context.platformCode]).toEqual([true, 503]);
  });

  for (const code of ['"ok"', '""', '"0x0"', '" 0"', 'null']) {
    it(`${code}: not the documented answer (retryable), never sent or refused`, async () => {
      const target = await gatewayAnswering(`{"code":${code}}`, closers);
      const e = await target.send(reminderMessage).catch((err: unknown) => err);
      expect(isLicbridgeError(e) && e.message).toContain('answer is not the documented JSON');
    });
  }
});
