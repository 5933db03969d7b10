/**
 * errorLine (core/errors.ts) is the one line of an error that log lines (a stalled job, a failed
 * completion check, a heartbeat not recorded), a lost tick's record and a run's summary hold. It
 * returned a licbridge error's message whole, and a licbridge error wraps a driver's words
 * (`source legacy: query failed: …`, `target t: lookup failed: …`): an ID number, a credit code or
 * a passport number in them reached the log. An error of another kind had only its quoted values
 * hidden: a URL's and a connection string's password, a quoted value cut by a line break and any
 * number stayed. It hides them now as failureMessage does (test/support/driver-error-cases.ts),
 * and keeps the code a person looks up and a login the driver names. An ID or a mobile number
 * written in groups (`110105 19491231 002X`, `138 0013 8000`) stayed whole in the line, as core
 * had not their shapes: they are masked as failureMessage masks them.
 */
import { describe, expect, it } from 'vitest';
import { ErrorCodes, errorLine, isLicbridgeError, LicbridgeError } from '../../core/errors.js';
import { driverErrorCases, loginErrorCases } from '../support/driver-error-cases.js';

describe('errorLine of a driver error, wrapped by licbridge or not', () => {
  for (const c of driverErrorCases()) {
    it(c.name, () => {
      const line = errorLine(c.error);
      if (isLicbridgeError(c.error)) expect(line.endsWith(` [${c.error.code}]`)).toBe(true);
      // Not bounded: a log line keeps a driver's dump whole, as the CLI prints it.
      const shown = c.whole ?? c.shown;
      expect(line).toBe(isLicbridgeError(c.error) ? `${shown} [${c.error.code}]` : shown);
      for (const leak of c.whole === undefined ? c.leaks : []) expect(line).not.toContain(leak);
    });
  }

  for (const c of loginErrorCases()) {
    it(`keeps the login: ${c.name}`, () => {
      const line = errorLine(c.error);
      expect(line).toBe(isLicbridgeError(c.error) ? `${c.shown} [${c.error.code}]` : c.shown);
    });
  }

  it("keeps what a person acts on: the HTTP status, the platform's code, a constraint's name", () => {
    const e = new LicbridgeError(
      ErrorCodes.TARGET_REJECTED,
      "target province: batch upload to http://127.0.0.1:8080 failed: request refused: HTTP 422 (ZZBH_REQUIRED); see `targets.province.url`, key 'uk_holder'",
    );
    expect(errorLine(e)).toBe(`${e.message} [LB_TARGET_REJECTED]`);
  });

  it('masks an ID and a mobile number written in groups, in a licbridge error too', () => {
    const e = new LicbridgeError(
      ErrorCodes.SOURCE_QUERY,
      'source legacy: holder 110105-19491231-002X, contact 138 0013 8000: no row',
    );
    const line = errorLine(e);
    expect(line).toBe(
      'source legacy: holder 1101**-********-002X, contact *********8000: no row [LB_SOURCE_QUERY]',
    );
    for (const leak of ['110105', '19491231', '138 0013']) expect(line).not.toContain(leak);
  });
});
