/**
 * A message gateway that numbers its messages answers the id as a bare JSON integer, often a
 * 64-bit one: `{"code":0,"messageId":900619746936498440}`. Read as no id at all, the answer made a
 * message the gateway took a refused one (the reminder skipped for good, though the holder got
 * it). It is a sent reminder, the id kept (as a digest, being a long run of digits) from every
 * digit the gateway wrote, not from the double `JSON.parse` rounds it to.
 */
import { createHash } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import type { NotifyTarget } from '../../adapters/platforms/notify/notify-target.js';
import { gatewayAnswering as answering, reminderMessage } from './notify-answering.js';

const closers: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const c of closers.splice(0).reverse()) await c();
});

/** A gateway answering `{"code":0,"messageId":<digits>}`, the id a bare integer. */
function gatewayAnswering(digits: string): Promise<NotifyTarget> {
  return answering(`{"code":0,"messageId":${digits}}`, closers);
}

const digest = (id: string) => `sha256:${createHash('sha256').update(id, 'utf8').digest('hex').slice(0, 32)}`;

describe('a gateway answering its message id as a JSON integer', () => {
  it('a 64-bit id: sent, kept as the digest of every digit written', async () => {
    const target = await gatewayAnswering('900619746936498441');
    const out = await target.send(reminderMessage);
    expect(out).toMatchObject({ state: 'sent', messageId: digest('900619746936498441') });
    // The double JSON.parse rounds it to would name another message.
    expect(out.state === 'sent' && out.messageId).not.toBe(digest(String(JSON.parse('900619746936498441'))));
  });

  it('a short id: sent, kept as its digits', async () => {
    const target = await gatewayAnswering('40213');
    expect(await target.send(reminderMessage)).toMatchObject({ state: 'sent', messageId: '40213' });
  });
});
