/**
 * An auth strategy's own fault (a bug throwing a plain Error) while it renewed credentials the
 * gateway refused (401) went out of the notify target as it was thrown: no target named, no code,
 * nothing saying a reminder failed. It is now wrapped as the same fault while credentials are made
 * (notify-auth-strategy-fault): INTERNAL, the target named, the fault its cause (masked when
 * logged), and no `unsent`: the refused reminder reached the gateway, an attempt of it.
 */
import { describe, expect, it } from 'vitest';
import { NotifyTarget } from '../../adapters/platforms/notify/notify-target.js';
import {
  closedAfterEach,
  expectLoggedMasked,
  expectStrategyFault,
  failingRenewal,
  failure,
  refusingPlatform,
  strategyFault,
} from './auth-strategy-fault.js';

const closers = closedAfterEach();

const reminder = {
  key: 'lic-000001:1:30',
  recipient: '13912340001',
  params: { licenseType: '食品经营许可证', number: 'JY1', issuer: '局', validTo: '2026-12-31', daysLeft: 30 },
};

describe('notify: an auth strategy whose renewal throws after a 401', () => {
  it('fails the reminder naming the target, the fault its cause, an attempt', async () => {
    const gateway = await refusingPlatform(closers);
    const fault = strategyFault();
    const name = `sms-renewal-fault-${process.pid}`;
    const target = new NotifyTarget(
      name,
      {
        kind: 'notify',
        url: gateway.url,
        channel: 'sms',
        template: 'license-expiry',
        auth: { scheme: 'none' },
        timeoutMs: 2000,
        concurrency: 1,
        attempts: 1,
        backoffMs: 10,
      } as never,
      {
        auth: failingRenewal(fault),
      },
    );
    closers.push(() => target.close());

    const error = await failure(target.send(reminder));

    expect(gateway.seen).toHaveLength(1);
    expectStrategyFault(error, name, fault, false);
    // The gateway named, as the reminder's other failures name it.
    expect((error as Error).message).toBe(`target ${name}: reminder to ${gateway.url} failed unexpectedly`);
    expectLoggedMasked(error, name, 'reminder not sent');
  });
});
