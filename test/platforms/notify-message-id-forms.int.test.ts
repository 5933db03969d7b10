/**
 * A gateway's `code: 0` says it took the message; the form of its message id says nothing against
 * that. Ids come in the gateway's own alphabet — Aliyun's `BizId` is `900619746936498440^0`, others
 * are base64 (`+`, `/`, `=`) or longer than 128 characters. Such an answer is a sent reminder (its
 * id kept as a digest, never as written), not a refusal: a reminder the holder received would be
 * recorded as skipped by the gateway.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { NotifyTarget } from '../../adapters/platforms/notify/notify-target.js';
import { gatewayAnswering as answering, reminderMessage } from './notify-answering.js';

const closers: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const c of closers.splice(0).reverse()) await c();
});

function gatewayAnswering(messageId: string): Promise<NotifyTarget> {
  return answering(JSON.stringify({ code: 0, messageId }), closers);
}

describe('a gateway that took the message, with a message id in its own form', () => {
  for (const id of ['900619746936498440^0', 'bXNnLzEyMy9hYmM+ZGVm/Zz==', `m-${'a'.repeat(200)}`]) {
    it(`${id.slice(0, 24)}…: sent, the id kept as a digest`, async () => {
      const target = await gatewayAnswering(id);
      const out = await target.send(reminderMessage);
      expect(out.state).toBe('sent');
      expect(out.state === 'sent' && out.messageId).toMatch(/^sha256:[0-9a-f]{32}$/);
    });
  }

  it('an id of the plain form is kept as it is', async () => {
    const target = await gatewayAnswering('msg-a1');
    expect(await target.send(reminderMessage)).toMatchObject({ state: 'sent', messageId: 'msg-a1' });
  });
});
