/**
 * A platform whose holder id type field is an integer answers `czztdmlx` as a JSON number: `1` for
 * `001` (unified social credit code, GB/T 36903 annex A), `111` for a resident ID. Read as the text
 * `1`, no code of the list, every license held by a business came back with the id type `1`, its
 * content different from the ledger's: a `platform-content-mismatch` flagged for a person at every
 * check, and adopted from the platform with that type. A number is the code its digits are in the
 * target's own codes, else the one of its value there, else the three digits annex A writes.
 */
import { describe, expect, it } from 'vitest';
import { fromPlatformEntry } from '../../adapters/platforms/rest-json/platform-entry.js';
import { codeListsFor } from '../../adapters/platforms/shared/code-lists.js';
import { toPlatformLicense } from '../../adapters/platforms/shared/platform-license.js';
import { contentHash } from '../../catalog/canonical.js';
import type { License } from '../../catalog/license.js';
import { sampleLicense } from './license-fixture.js';

/** `sampleLicense(1)` held by a holder of id type `idType`. */
function heldBy(idType: string): License {
  const license = sampleLicense(1);
  return { ...license, holder: { ...license.holder, idType } };
}

function entryWith(license: License, czztdmlx: unknown, codes = codeListsFor()) {
  return {
    licenseId: 'lic-000001',
    version: 1,
    license: { ...toPlatformLicense(license, 'issue', codes), czztdmlx },
  };
}

describe('a holder id type the platform answers as a number', () => {
  it.each([
    ['001', 1],
    ['099', 99],
    ['111', 111],
  ])('%s answered %d is that type', (idType, czztdmlx) => {
    const license = heldBy(idType);
    const record = fromPlatformEntry(entryWith(license, czztdmlx));
    expect(record?.license.holder.idType).toBe(idType);
    expect(record?.contentHash).toBe(contentHash(license));
  });

  it("through the target's own codes: the number of the platform's code is its type", () => {
    const codes = codeListsFor({ holderIdType: { '111': '10', '001': '01' } });
    for (const [idType, czztdmlx] of [
      ['111', 10],
      ['001', 1],
    ] as const) {
      const record = fromPlatformEntry(entryWith(heldBy(idType), czztdmlx, codes), codes);
      expect(record?.license.holder.idType).toBe(idType);
    }
  });

  it('a code written as text is read as before', () => {
    expect(fromPlatformEntry(entryWith(heldBy('001'), '001'))?.license.holder.idType).toBe('001');
    expect(fromPlatformEntry(entryWith(heldBy('001'), '1'))?.license.holder.idType).toBe('1');
  });
});
