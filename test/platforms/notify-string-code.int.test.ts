/**
 * A gateway writing its result `code` as a JSON string (`"code": "0"`), as gateways built on
 * string-typed result fields do. `"0"` was read as no documented answer at all ("answer is not
 * the documented JSON", retried, the reminder left pending and sent again every tick) while the
 * number 0 was a sent reminder. A code of digits is read as that number, whichever way it is
 * written: `"0"` sent, `"503"` busy, `"40001"` a refusal; any other text is still no answer.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { NotifyTarget } from '../../adapters/platforms/notify/notify-target.js';
import { isLicbridgeError } from '../../core/errors.js';

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

describe('a gateway writing its result code as a string', () => {
  it('"0" with an id: sent, the id kept', async () => {
    const target = await gatewayAnswering('{"code":"0","messageId":"M-1"}');
    expect(await target.send(message)).toEqual({ state: 'sent', messageId: 'M-1', replayed: false });
  });

  it('"0" without an id: sent', async () => {
    const target = await gatewayAnswering('{"code":"0"}');
    expect(await target.send(message)).toEqual({ state: 'sent', replayed: false });
  });

  it('"40001": refused with its reason, as the number is', async () => {
    const target = await gatewayAnswering('{"code":"40001","reason":"BAD_PHONE"}');
    expect(await target.send(message)).toEqual({ state: 'refused', reason: 'gateway-refused:BAD_PHONE' });
  });

  it('"503": busy, retryable, never a refusal', async () => {
    const target = await gatewayAnswering('{"code":"503","reason":"SYSTEM_BUSY"}');
    const e = await target.send(message).catch((err: unknown) => err);
    expect(isLicbridgeError(e) && [e.retryable, e.context.platformCode]).toEqual([true, 503]);
  });

  for (const code of ['"ok"', '""', '"0x0"', '" 0"', 'null']) {
    it(`${code}: not the documented answer (retryable), never sent or refused`, async () => {
      const target = await gatewayAnswering(`{"code":${code}}`);
      const e = await target.send(message).catch((err: unknown) => err);
      expect(isLicbridgeError(e) && e.message).toContain('answer is not the documented JSON');
    });
  }
});
