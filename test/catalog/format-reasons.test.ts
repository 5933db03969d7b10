/**
 * A license field failing one of the catalog's formats was refused with ajv's words only —
 * `identifier must match format "license-identifier"`, `issuer.code must match format "uscc"` —
 * leaving the reader to find which part of a 60-char identifier or which character of a credit
 * code is wrong. The reason now says what the format's standard found: the identifier's check
 * char and the one expected, the credit code's check char, a division code's shape, a day that is
 * no calendar day.
 */
import { describe, expect, it } from 'vitest';
import { buildCatalog } from '../../catalog/catalog.js';
import type { License } from '../../catalog/license.js';
import { DEMO_ENTRY_FILE, demoEntryText, demoLicense } from './fixtures.js';

const catalog = buildCatalog([{ file: DEMO_ENTRY_FILE, text: await demoEntryText() }]);
const messages = (change: (l: License) => void): string[] => {
  const license = demoLicense();
  change(license);
  return catalog.validate(license, '2025-01-01').map((r) => r.message);
};

describe('format reasons name what the standard found', () => {
  it('an identifier with a wrong check char names the one expected', () => {
    const got = messages((l) => {
      l.identifier = `${l.identifier.slice(0, -1)}${l.identifier.endsWith('Z') ? 'Y' : 'Z'}`;
    });
    expect(got).toHaveLength(1);
    expect(got[0]).toMatch(
      /^license: identifier must match format "license-identifier": check char is [YZ], expected [0-9A-Z] \(GB\/T 36904, ISO\/IEC 7064 MOD 37,36\)$/,
    );
  });

  it('a credit code with a wrong check char names the one expected', () => {
    const got = messages((l) => {
      l.issuer.code = '11370211MB12345673';
    });
    expect(got[0]).toBe(
      'license: issuer.code must match format "uscc": the first 17 characters call for the check character 2 (GB 32100)',
    );
  });

  it('a division code and a day say what they must be', () => {
    expect(
      messages((l) => {
        l.areaCode = '12345';
      }),
    ).toEqual([
      'license: areaCode must match format "division-code": expected 6 digits, not 000000 (GB/T 2260)',
    ]);
    expect(
      messages((l) => {
        l.issueDate = '2021-02-30';
      })[0],
    ).toBe('license: issueDate must match format "iso-date": expected a calendar day YYYY-MM-DD');
  });
});
