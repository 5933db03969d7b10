/**
 * A message gateway refusing a reminder gives a short reason token, which the notify target keeps
 * as the reminder's reason (`gateway-refused:<token>`): stored in `reminders.reason` and the audit
 * chain, which is hash-chained and never cleaned later. A token naming the number refused in its
 * groups (`110101-900307-123`, `138-0013-8000`) has no run of seven digits and was kept whole. It is
 * masked where the gateway's answer is read, whether the refusal comes in a 200 or as HTTP 400;
 * a reason naming no number stays as the gateway wrote it.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { isLicbridgeError } from '../../core/errors.js';
import { hidesAll, MOBILE, OLD_ID, TOKENS } from '../support/grouped-numbers.js';
import { gatewayAnswering, reminderMessage } from './notify-answering.js';

const closers: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const c of closers.splice(0).reverse()) await c();
});

describe("a gateway's refusal reason naming a number in its groups", () => {
  it('is kept masked as the reminder reason, refused in a 200 or by HTTP 400', async () => {
    for (const reason of TOKENS) {
      const body = JSON.stringify({ code: 40001, reason });
      for (const target of [
        await gatewayAnswering(body, closers),
        await gatewayAnswering(body, closers, 400),
      ]) {
        const out = await target.send(reminderMessage);
        expect(out.state).toBe('refused');
        const stored = out.state === 'refused' ? out.reason : '';
        expect(stored.startsWith('gateway-refused:')).toBe(true);
        expect(hidesAll(stored), stored).toBe(true);
      }
    }
    const target = await gatewayAnswering(JSON.stringify({ code: 40001, reason: MOBILE.join('-') }), closers);
    expect(await target.send(reminderMessage)).toEqual({
      state: 'refused',
      reason: 'gateway-refused:***-****-8000',
    });
  });

  it('is masked in the error of a 401 in a 200', async () => {
    const target = await gatewayAnswering(JSON.stringify({ code: 401, reason: OLD_ID.join('-') }), closers);
    const e = await target.send(reminderMessage).catch((err: unknown) => err);
    expect(isLicbridgeError(e) && e.message).toContain(
      'credentials refused: gateway code 401 (1101**-*****7-123)',
    );
  });

  it('naming no number, stays as the gateway wrote it', async () => {
    const target = await gatewayAnswering('{"code":40001,"reason":"E1007"}', closers);
    expect(await target.send(reminderMessage)).toEqual({ state: 'refused', reason: 'gateway-refused:E1007' });
  });
});
