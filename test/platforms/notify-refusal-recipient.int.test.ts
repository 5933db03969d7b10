/**
 * A gateway refusing a reminder gives a short reason token, kept as the reminder's reason
 * (`gateway-refused:<token>`) in `reminders.reason` and the hash-chained audit chain, never
 * cleaned later. The recipient is personal data that goes in the request body only; a push
 * channel's recipient is an app user id, which no number rule masks, and a token echoing it
 * (`no-such-user-zhangsan88`) was kept whole. The recipient is now masked out of the token as the
 * answer is read, refused in a 200 or by HTTP 400, and out of a 401's error.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { isLicbridgeError } from '../../core/errors.js';
import { gatewayAnswering, reminderMessage } from './notify-answering.js';

const closers: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const c of closers.splice(0).reverse()) await c();
});

const USER = 'ZhangSan88';
const pushed = { ...reminderMessage, recipient: USER };

describe("a gateway's refusal reason naming the recipient", () => {
  it('is kept with the recipient masked, refused in a 200 or by HTTP 400', async () => {
    const body = JSON.stringify({ code: 40001, reason: 'no-such-user-zhangsan88' });
    for (const target of [
      await gatewayAnswering(body, closers),
      await gatewayAnswering(body, closers, 400),
    ]) {
      expect(await target.send(pushed)).toEqual({
        state: 'refused',
        reason: 'gateway-refused:no-such-user-***',
      });
    }
  });

  it('is masked in the error of a 401 in a 200', async () => {
    const target = await gatewayAnswering(JSON.stringify({ code: 401, reason: `bad.${USER}` }), closers);
    const e = await target.send(pushed).catch((err: unknown) => err);
    expect(isLicbridgeError(e) && e.message).toContain('credentials refused: gateway code 401 (bad.***)');
  });

  it('naming someone else, stays as the gateway wrote it', async () => {
    const target = await gatewayAnswering('{"code":40001,"reason":"no-such-user-lisi77"}', closers);
    expect(await target.send(pushed)).toEqual({
      state: 'refused',
      reason: 'gateway-refused:no-such-user-lisi77',
    });
  });
});
