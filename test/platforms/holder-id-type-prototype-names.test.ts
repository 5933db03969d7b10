import { describe, expect, it } from 'vitest';
import { codeListsFor } from '../../adapters/platforms/shared/code-lists.js';
import { toPlatformLicense } from '../../adapters/platforms/shared/platform-license.js';
import { sampleLicense } from './license-fixture.js';

/**
 * A holder id type no code list maps goes out as it is. A license adopted from a platform's legacy
 * data may hold any text there, the names of Object.prototype's members too: looked up without
 * `Object.hasOwn`, `constructor` or `toString` took the inherited function, which JSON leaves out,
 * so the record went without `czztdmlx`; `__proto__` went as `{}`.
 */
describe('holder id type named like an inherited member', () => {
  for (const idType of ['constructor', 'toString', 'hasOwnProperty', '__proto__']) {
    it(`sends \`${idType}\` as it is`, () => {
      for (const codes of [undefined, codeListsFor({ holderIdType: { '111': 'SFZ' } })]) {
        const license = sampleLicense(1, { holder: { name: '甲', idType, id: 'X1' } });
        const wire = JSON.parse(JSON.stringify(toPlatformLicense(license, 'revoke', codes))) as Record<
          string,
          unknown
        >;
        expect(wire.czztdmlx).toBe(idType);
      }
    });
  }

  it('still maps a code the list names', () => {
    const codes = codeListsFor({ holderIdType: { '111': 'SFZ' } });
    expect(toPlatformLicense(sampleLicense(1), 'issue', codes).czztdmlx).toBe('SFZ');
  });
});
