// A page's versions parted by their recorded issuing unit in one pass (pipelines/seal-units.ts
// byUnit, identifierIssuerText): the same parts, and the same unit read from each license id, as
// reading every version's unit on its own and splitting its id at every dot.
import { randomInt } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  byUnit,
  identifierIssuerText,
  issuerUnit,
  sealsVersion,
  versionUnit,
} from '../../pipelines/seal-units.js';

const DISTRICT = '11370211MB12345672';
const COUNTY = '11370281MB1234568H';

/** What the unit check read from an id before: its segment before the last dot, split at every dot. */
const bySplit = (id: string): string => id.split('.').slice(-2)[0] ?? '';

/** A string of `length` characters drawn from dots, letters, digits, spaces and a CJK one. */
function randomId(length: number): string {
  const alphabet = '..1AbM9 园';
  let out = '';
  for (let i = 0; i < length; i++) out += alphabet[randomInt(alphabet.length)];
  return out;
}

describe('identifierIssuerText', () => {
  it('reads the segment before the last dot as splitting at every dot does', () => {
    const ids = [
      '',
      '.',
      '..',
      '...',
      'a',
      '.a',
      'a.',
      '.a.',
      'a.b',
      '.a.b',
      'a..b',
      'a.b.',
      `1.2.156.3005.2.11370200MB12345674001.${DISTRICT}.B000000001.001`,
      `1.2.156.3005.2.11370200MB12345674001.${DISTRICT}.B000000001`,
      `1.2.156.${COUNTY.toLowerCase()} .X`,
    ];
    for (let i = 0; i < 2000; i++) ids.push(randomId(randomInt(12)));
    for (const id of ids) expect(identifierIssuerText(id), JSON.stringify(id)).toBe(bySplit(id));
  });
});

describe('byUnit', () => {
  const version = (n: number, issuer: string, idIssuer: string) => ({
    licenseId: `1.2.156.3005.2.11370200MB12345674001.${idIssuer}.B${String(n).padStart(9, '0')}`,
    version: 1 + (n % 3),
    payload: { issuer: { code: issuer } },
  });

  it('parts a page as reading each version on its own does, in order', () => {
    const codes = [DISTRICT, COUNTY, ` ${DISTRICT.toLowerCase()}`, `${COUNTY} `, 'other'];
    const page = Array.from({ length: 300 }, (_, n) =>
      version(n, codes[randomInt(codes.length)] as string, codes[randomInt(codes.length)] as string),
    );
    for (const unit of [DISTRICT, COUNTY]) {
      const parted = byUnit(page, 'food', unit);
      const own = page.filter((v) => sealsVersion(unit, versionUnit(v)));
      expect(parted.own).toEqual(own);
      expect(parted.otherVersions).toEqual(page.filter((v) => !own.includes(v)));
      expect(parted.others).toEqual(
        parted.otherVersions.map((v) => ({
          licenseId: v.licenseId,
          version: v.version,
          pipeline: 'food',
          ...versionUnit(v),
          signerUnit: unit,
        })),
      );
      // As the sign stage parts it, a version without its issuer's text read through its license.
      expect(byUnit(page, 'food', unit, (v) => issuerUnit(v, undefined))).toEqual(parted);
      // Both kinds are on the page: the parts are not trivially empty.
      expect(parted.own.length).toBeGreaterThan(0);
      expect(parted.others.length).toBeGreaterThan(0);
    }
  });
});
