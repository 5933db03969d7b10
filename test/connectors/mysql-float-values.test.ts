/**
 * MySQL and MariaDB FLOAT values as handed over (float-columns.ts): a FLOAT is read widened to the
 * double of its single and handed over as the shortest decimal that is that single — nine
 * significant digits where eight do not tell it apart — and a FLOAT(M,D) as the server prints it,
 * at its scale, rounded half to even from the exact value (136020.0625 at three decimals is
 * 136020.062), as mysql2 read it before the widening.
 */
import { describe, expect, it } from 'vitest';
import { floatValue, singleValue } from '../../connectors/sql/dialects/mysql/float-columns.js';

describe('mysql FLOAT values', () => {
  it('hands a single over as its shortest decimal, up to nine digits', () => {
    expect(singleValue(Math.fround(0.1))).toBe(0.1);
    expect(singleValue(Math.fround(123456.789))).toBe(123456.79);
    // Singles eight significant digits cannot tell apart from a neighbour.
    expect(singleValue(Math.fround(1.19136775e-11))).toBe(1.19136775e-11);
    expect(singleValue(Math.fround(1.43939945e17))).toBe(1.43939945e17);
    expect(singleValue(0.1)).toBe(0.1);
    expect(singleValue('0.1')).toBe('0.1');
  });

  it('hands a FLOAT(M,D) over at its scale, rounded half to even as the server prints it', () => {
    expect(floatValue(Math.fround(123456.789), 'float(12,3)')).toBe(123456.789);
    expect(floatValue(Math.fround(123456.8), 'float(12,3)')).toBe(123456.797);
    expect(floatValue(Math.fround(-136020.062), 'float(12,3)')).toBe(-136020.062);
    expect(floatValue(Math.fround(679173.8125), 'FLOAT(12,3) UNSIGNED')).toBe(679173.812);
    expect(floatValue(Math.fround(4705.4106445312), 'float(30,10)')).toBe(4705.4106445312);
    expect(floatValue(Math.fround(16777217), 'float(10,0)')).toBe(16777216);
    expect(floatValue(Math.fround(1e-7), 'float(7,4)')).toBe(0);
    expect(floatValue(Math.fround(0.1), 'float')).toBe(0.1);
    expect(floatValue(Math.fround(0.1), 'float unsigned')).toBe(0.1);
    expect(floatValue(null, 'float(12,3)')).toBe(null);
  });
});
