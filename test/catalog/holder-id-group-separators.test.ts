/**
 * A holder id written in its groups is a resident ID number's shape to the catalog
 * (hasResidentIdShape) whatever parts the groups, as it is to masking (core/personal-shapes.ts):
 * an underscore, a dot or a slash (`110105_19491231_002X`, as a record key or a file's name writes
 * it) parted them for masking but not for the catalog, which took such an id for no person's number.
 */
import { describe, expect, it } from 'vitest';
import { hasResidentIdShape } from '../../catalog/personal.js';
import { maskNumberShapes } from '../../core/personal-shapes.js';

const digits = (n: number): string =>
  Array.from({ length: n }, () => String(Math.floor(Math.random() * 10))).join('');
const AREA = `1${digits(5)}`;
const BIRTH = `1985${String(1 + Math.floor(Math.random() * 9)).padStart(2, '0')}1${digits(1)}`;
const REST = `${digits(3)}X`;

describe('holder ids in groups', () => {
  for (const [name, sep] of [
    ['underscore', '_'],
    ['dot', '.'],
    ['slash', '/'],
    ['no-break space', '\u00A0'],
    ['thin space', '\u2009'],
    ['en space', '\u2002'],
    ['narrow no-break space', '\u202F'],
  ] as const) {
    it(`takes an ID number parted by ${name} for one, as masking does`, () => {
      const id = `${AREA}${sep}${BIRTH}${sep}${REST}`;
      expect(maskNumberShapes(id)).not.toBe(id);
      expect(hasResidentIdShape(id)).toBe(true);
    });
  }

  it('takes no other dotted or slashed number for one', () => {
    for (const id of ['2024.03.07', '1.2.156.3005.2.11100000000013338W.001', `${AREA}/${digits(4)}`])
      expect(hasResidentIdShape(id)).toBe(false);
  });
});
