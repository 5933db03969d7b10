/**
 * A gateway's `code: 0` says it took the message, whether or not it hands back an id for it (a
 * gateway that numbers nothing, an idempotent replay answered without the id, an id given as
 * `null` or `""`). Such an answer was taken for a refusal (`gateway-refused:code-0`): a reminder
 * the holder received was recorded as skipped by the gateway. It is a sent reminder, without an id.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { gatewayAnswering, reminderMessage } from './notify-answering.js';

const closers: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const c of closers.splice(0).reverse()) await c();
});

describe('a gateway answering code 0 without a message id', () => {
  for (const body of ['{"code":0}', '{"code":0,"messageId":""}', '{"code":0,"messageId":null}']) {
    it(`${body}: sent, with no id`, async () => {
      const target = await gatewayAnswering(body, closers);
      const out = await target.send(reminderMessage);
      expect(out).toEqual({ state: 'sent', replayed: false });
    });
  }

  it('a non-zero code without an id is still a refusal', async () => {
    const target = await gatewayAnswering('{"code":40001,"reason":"UNREACHABLE"}', closers);
    expect(await target.send(reminderMessage)).toEqual({
      state: 'refused',
      reason: 'gateway-refused:UNREACHABLE',
    });
  });
});
