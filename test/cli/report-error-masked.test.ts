/**
 * An error licbridge did not make (a driver's, an HTTP client's) was printed by the CLI with
 * whatever values it quoted: a resident ID number a database echoed, a phone number or passport
 * number a platform put in its answer. They are masked as licbridge masks them everywhere else
 * (core/mask.ts); the rest of the message, and the driver's code, stay as they were. A value the
 * driver quotes is hidden whole (report-error-quoted-values.test.ts).
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { EXIT_FAILED } from '../../cli/errors.js';
import { ErrorCodes, LicbridgeError } from '../../core/errors.js';
import { printedError as printed } from './printed-error.js';

// GB 11643 example number: its check char X is right for the 17 digits before it.
const ID = '11010519491231002X';
const MOBILE = '13800138000';
const PASSPORT = 'E12345678';

afterEach(() => {
  vi.unstubAllEnvs();
  vi.restoreAllMocks();
});

function driverError(): Error {
  const error = new Error(
    `invalid input syntax for type bigint: "${ID}" (holder phone ${MOBILE}, passport ${PASSPORT}) at 127.0.0.1:5432`,
  );
  (error as Error & { code: string }).code = '22P02';
  return error;
}

describe('reportError and personal numbers in errors from outside', () => {
  it('masks the ID, mobile and passport numbers of a driver error, keeping its words and code', () => {
    const { code, text } = printed(driverError());
    expect(code).toBe(EXIT_FAILED);
    expect(text).toBe(
      'licbridge: unexpected failure: invalid input syntax for type bigint: "***" (holder phone *******8000, passport E*******8) at 127.0.0.1:5432 (22P02)\n',
    );
  });

  it('masks them in the stack LICBRIDGE_DEBUG prints', () => {
    vi.stubEnv('LICBRIDGE_DEBUG', '1');
    const { text } = printed(driverError());
    expect(text).toMatch(/\n\s+at /);
    for (const value of [ID, MOBILE, PASSPORT]) expect(text).not.toContain(value);
  });

  it('masks them in a licbridge error that quotes a driver', () => {
    const error = new LicbridgeError(
      ErrorCodes.SOURCE_QUERY,
      `source market-food: query failed: invalid input syntax for type bigint: "${ID}"`,
      { cause: driverError() },
    );
    const { text } = printed(error);
    expect(text).toBe(
      'licbridge: source market-food: query failed: invalid input syntax for type bigint: "***" [LB_SOURCE_QUERY]\n',
    );
  });

  it('leaves short numbers alone (ports, durations, an address), and cuts longer runs to their last four', () => {
    // A run of seven or more digits may be a bank card or a key a driver echoed: the CLI shows it
    // as status and the ledger do (test/support/driver-error-cases.ts), a count or a date too.
    const { text } = printed(
      new Error('timeout after 30000 ms reading 1234567 rows from 10.0.3.14:1521 on 20240105'),
    );
    expect(text).toBe(
      'licbridge: unexpected failure: timeout after 30000 ms reading ***4567 rows from 10.0.3.14:1521 on ****0105\n',
    );
  });
});
