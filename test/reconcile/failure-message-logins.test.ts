/**
 * The login a driver names as it refuses it is an account of the database, no holder's data and
 * no secret: a failed check's message, `status`, the CLI and what Redis keeps show it, as the
 * account to fix (docs/troubleshooting.md). /readyz alone hides it (docs/operations.md), with
 * failureMessage's `hideLogins`; both read the same table (test/support/driver-error-cases.ts).
 */
import { describe, expect, it } from 'vitest';
import { failureMessage } from '../../core/errors.js';
import { driverErrorCases, loginErrorCases } from '../support/driver-error-cases.js';

describe('failureMessage and the login a driver names', () => {
  for (const c of loginErrorCases()) {
    it(c.name, () => {
      expect(failureMessage(c.error).message).toBe(c.shown);
      const hidden = failureMessage(c.error, { hideLogins: true }).message;
      expect(hidden).toBe(c.hidden);
      expect(hidden).not.toContain(c.login);
    });
  }

  it('hides no more with hideLogins where a driver names no login', () => {
    for (const c of driverErrorCases())
      expect(failureMessage(c.error, { hideLogins: true }).message).toBe(c.shown);
  });

  it('prints a message whole unbounded, masked all the same', () => {
    for (const c of driverErrorCases()) {
      const whole = failureMessage(c.error, { bounded: false }).message;
      expect(whole).toBe(c.whole ?? c.shown);
    }
  });
});
