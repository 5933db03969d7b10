/**
 * What the CLI prints of an error a driver threw, or licbridge threw wrapping a driver's words,
 * and of its stack with LICBRIDGE_DEBUG set. It was masked by a rule of its own, which kept what
 * a failed check's message and `status` hide (test/support/driver-error-cases.ts): a URL's and a
 * connection string's password, a quoted value cut by a line break, a credit code, a bank card
 * number and a passport number standing bare. It is printed now as they show it, the message
 * whole however long; a licbridge error's numbers are masked by shape only (`printed`), as its own
 * words name license ids, catalog codes and option values the person gave; a login the driver
 * names is printed, as the account to fix.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { isLicbridgeError } from '../../core/errors.js';
import { driverErrorCases, loginErrorCases } from '../support/driver-error-cases.js';
import { printedError as printed } from './printed-error.js';

afterEach(() => {
  vi.unstubAllEnvs();
  vi.restoreAllMocks();
});

/** The line the CLI prints for `error` shown as `shown`. */
const line = (error: unknown, shown: string) =>
  isLicbridgeError(error)
    ? `licbridge: ${shown} [${error.code}]\n`
    : `licbridge: unexpected failure: ${shown}\n`;

describe('what the CLI prints of a driver error', () => {
  for (const c of driverErrorCases()) {
    it(c.name, () => {
      const shown = c.printed ?? c.whole ?? c.shown;
      expect(printed(c.error).text).toBe(line(c.error, shown));
      vi.stubEnv('LICBRIDGE_DEBUG', '1');
      const { text } = printed(c.error);
      if (c.error instanceof Error) expect(text).toMatch(/\n\s+at /);
      expect(text).toContain(`: ${shown}\n`);
      if (shown === c.shown) for (const leak of c.leaks) expect(text).not.toContain(leak);
    });
  }

  for (const c of loginErrorCases()) {
    it(`keeps the login: ${c.name}`, () => {
      expect(printed(c.error).text).toBe(line(c.error, c.shown));
    });
  }
});
