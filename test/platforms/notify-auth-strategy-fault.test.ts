/**
 * An auth strategy's own fault (a bug, not an endpoint's answer) failed a reminder as "reminder
 * failed unexpectedly", with nothing of the fault kept: no log line could say what went wrong. The
 * error now keeps it as its cause, which a log line shows masked as every logged error is, and
 * says the reminder never left this host (`unsent`): no attempt of it.
 */
import { describe, expect, it } from 'vitest';
import { NotifyTarget } from '../../adapters/platforms/notify/notify-target.js';
import { ErrorCodes, isLicbridgeError } from '../../core/errors.js';
import { lineLogger } from '../support/log-lines.js';

const reminder = {
  key: 'lic-000001:1:30',
  recipient: '13912340001',
  params: { licenseType: '食品经营许可证', number: 'JY1', issuer: '局', validTo: '2026-12-31', daysLeft: 30 },
};

describe('notify: an auth strategy that throws', () => {
  it('fails the reminder unsent, its fault kept as the cause and logged masked', async () => {
    const fault = new TypeError('signing: cannot read properties of undefined (holder 13912340001)');
    const target = new NotifyTarget(
      'sms',
      {
        kind: 'notify',
        url: 'http://127.0.0.1:9',
        channel: 'sms',
        template: 'license-expiry',
        auth: { scheme: 'none' },
        timeoutMs: 1000,
        concurrency: 1,
        attempts: 1,
        backoffMs: 10,
      } as never,
      {
        auth: {
          headers: async () => {
            throw fault;
          },
        },
      },
    );
    try {
      const error = await target.send(reminder).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(isLicbridgeError(error)).toBe(true);
      if (!isLicbridgeError(error)) return;
      expect(error.code).toBe(ErrorCodes.INTERNAL);
      expect(error.context).toMatchObject({ target: 'sms', unsent: true });
      // Which request, and where it was to go.
      expect(error.message).toBe(
        'target sms: reminder to http://127.0.0.1:9 not sent: its credentials could not be made',
      );
      expect(error.cause).toBe(fault);

      const { logger, lines } = lineLogger('warn');
      logger.warn({ target: 'sms', err: error }, 'reminder not sent');
      const line = lines.join('\n');
      expect(line).toContain('signing: cannot read properties of undefined');
      expect(line).not.toContain('13912340001');
    } finally {
      await target.close();
    }
  });
});
