/**
 * A gateway's `code: 0` says it took the message; the form of its message id says nothing against
 * that. Ids come in the gateway's own alphabet — Aliyun's `BizId` is `900619746936498440^0`, others
 * are base64 (`+`, `/`, `=`) or longer than 128 characters. Such an answer is a sent reminder (its
 * id kept as a digest, never as written), not a refusal: a reminder the holder received would be
 * recorded as skipped by the gateway.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { NotifyTarget } from '../../adapters/platforms/notify/notify-target.js';

const PHONE = '13912340002';

const closers: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const c of closers.splice(0).reverse()) await c();
});

async function gatewayAnswering(messageId: string): Promise<NotifyTarget> {
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ code: 0, messageId }));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  closers.push(
    () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  );
  const target = new NotifyTarget('sms', {
    kind: 'notify',
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    channel: 'sms',
    auth: { scheme: 'none' },
    template: 'license-expiry',
    timeoutMs: 2000,
    concurrency: 1,
    attempts: 1,
    backoffMs: 10,
  } as never);
  closers.push(() => target.close());
  return target;
}

const message = {
  key: 'lic-000001:1:30',
  recipient: PHONE,
  params: { licenseType: '食品经营许可证', number: 'JY1', issuer: '局', validTo: '2026-12-31', daysLeft: 30 },
};

describe('a gateway that took the message, with a message id in its own form', () => {
  for (const id of ['900619746936498440^0', 'bXNnLzEyMy9hYmM+ZGVm/Zz==', `m-${'a'.repeat(200)}`]) {
    it(`${id.slice(0, 24)}…: sent, the id kept as a digest`, async () => {
      const target = await gatewayAnswering(id);
      const out = await target.send(message);
      expect(out.state).toBe('sent');
      expect(out.state === 'sent' && out.messageId).toMatch(/^sha256:[0-9a-f]{32}$/);
    });
  }

  it('an id of the plain form is kept as it is', async () => {
    const target = await gatewayAnswering('msg-a1');
    expect(await target.send(message)).toMatchObject({ state: 'sent', messageId: 'msg-a1' });
  });
});
