/**
 * The ledger fixtures' licenses carried the issuer code 11370211MB1234567X, which fails the
 * GB 32100 check (the first 17 characters call for 2): no unit has it, and code that judges a
 * version by its issuing unit (pipelines/seal-units.ts) or checks a credit code met a value no
 * real license holds. Their issuer code is now a valid one, and their license id carries it.
 */
import { expect, it } from 'vitest';
import { isValidUscc } from '../../catalog/holder-id.js';
import { versionUnit } from '../../pipelines/seal-units.js';
import { candidate, FIXTURE_ISSUER, licenseIdOf } from './fixtures.js';

it('issues the fixture licenses under a valid credit code, the one their license id carries', () => {
  expect(isValidUscc(FIXTURE_ISSUER)).toBe(true);
  const c = candidate({ n: 7 });
  const license = c.build(1);
  expect(license.issuer.code).toBe(FIXTURE_ISSUER);
  expect(versionUnit({ licenseId: c.licenseId, payload: license })).toEqual({ issuer: FIXTURE_ISSUER });
  expect(licenseIdOf(7)).toBe(c.licenseId);
  expect(license.identifier.startsWith(`${c.licenseId}.`)).toBe(true);
});
