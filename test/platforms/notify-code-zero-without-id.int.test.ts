/**
 * A gateway's `code: 0` says it took the message, whether or not it hands back an id for it (a
 * gateway that numbers nothing, an idempotent replay answered without the id, an id given as
 * `null` or `""`). Such an answer was taken for a refusal (`gateway-refused:code-0`): a reminder
 * the holder received was recorded as skipped by the gateway. It is a sent reminder, without an id.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { NotifyTarget } from '../../adapters/platforms/notify/notify-target.js';

const closers: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const c of closers.splice(0).reverse()) await c();
});

async function gatewayAnswering(body: string): Promise<NotifyTarget> {
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(body);
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
  });
  closers.push(() => target.close());
  return target;
}

const message = {
  key: 'lic-000001:1:30',
  recipient: '13912340002',
  params: { licenseType: '食品经营许可证', number: 'JY1', issuer: '局', validTo: '2026-12-31', daysLeft: 30 },
};

describe('a gateway answering code 0 without a message id', () => {
  for (const body of ['{"code":0}', '{"code":0,"messageId":""}', '{"code":0,"messageId":null}']) {
    it(`${body}: sent, with no id`, async () => {
      const target = await gatewayAnswering(body);
      const out = await target.send(message);
      expect(out).toEqual({ state: 'sent', replayed: false });
    });
  }

  it('a non-zero code without an id is still a refusal', async () => {
    const target = await gatewayAnswering('{"code":40001,"reason":"UNREACHABLE"}');
    expect(await target.send(message)).toEqual({ state: 'refused', reason: 'gateway-refused:UNREACHABLE' });
  });
});
