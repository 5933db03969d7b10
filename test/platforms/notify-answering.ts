/**
 * A notify gateway on a local port answering every message with one fixed body (in an HTTP 200, or
 * the `status` given), and the notify target sending to it; and the reminder message the notify
 * tests send. The caller's `closers` get the server and the target, to close after each test.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { NotifyTarget } from '../../adapters/platforms/notify/notify-target.js';

export async function gatewayAnswering(
  body: string,
  closers: (() => Promise<unknown>)[],
  status = 200,
): Promise<NotifyTarget> {
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      res.writeHead(status, { 'content-type': 'application/json' });
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

/** A 30-day expiry reminder of a food business license. */
export const reminderMessage = {
  key: 'lic-000001:1:30',
  recipient: '13912340002',
  params: { licenseType: '食品经营许可证', number: 'JY1', issuer: '局', validTo: '2026-12-31', daysLeft: 30 },
};
