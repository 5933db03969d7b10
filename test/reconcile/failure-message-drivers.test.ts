/**
 * A failed check's message (stored in the ledger, shown by `status`) and a run's light check hold a
 * driver's words: a value it quotes or echoes is hidden or masked there as strictly as anywhere
 * licbridge shows a source's error (test/support/driver-error-cases.ts). A passport number kept
 * its last four digits, a mobile number written in groups was kept whole, a quoted value cut by a
 * line break and a connection's password stood in clear.
 */
import { describe, expect, it } from 'vitest';
import { failureMessage } from '../../core/errors.js';
import { driverErrorCases } from '../support/driver-error-cases.js';

describe('a failed check as stored: a driver error', () => {
  for (const c of driverErrorCases()) {
    it(c.name, () => {
      const { message } = failureMessage(c.error);
      expect(message).toBe(c.shown);
      for (const leak of c.leaks) expect(message).not.toContain(leak);
    });
  }

  it('is shown the same when told again', () => {
    for (const c of driverErrorCases()) expect(failureMessage(c.shown).message).toBe(c.shown);
  });
});
