/**
 * A record key or a file's name joins an area code, a date and a serial with underscores
 * (`110105_20240105_0001`: a district's batch of a day), the groups of an ID number written as a
 * key joins them: that identifier was masked as an ID number (`1101**_********_0001`) in a log
 * line and wherever numbers are masked by shape, and no one could find the batch by it. Groups
 * joined by `_` alone are taken for an ID number only when the last char is the GB 11643 check
 * char of the first 17 digits, as a real number's is; a real ID number so joined, or glued to a
 * key by underscores, is masked as before, and so is one parted by spaces or dashes as a person
 * types it, whatever its last char.
 */
import { describe, expect, it } from 'vitest';
import { maskNumberShapes } from '../../core/personal-shapes.js';
import { lineLogger } from '../support/log-lines.js';

const digits = (n: number): string =>
  Array.from({ length: n }, () => String(Math.floor(Math.random() * 10))).join('');
const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const checkChar = (first17: string): string =>
  '10X98765432'.charAt(WEIGHTS.reduce((sum, w, i) => sum + w * Number(first17[i]), 0) % 11);

const BATCH = '110105_20240105_0001';
// Made up: area 110105, a birth date in 1990, a random sequence, its check char.
const FIRST17 = `1101051990${String(1 + Math.floor(Math.random() * 9)).padStart(2, '0')}1${digits(1)}${digits(3)}`;
const ID = `${FIRST17}${checkChar(FIRST17)}`;
const grouped = (id: string, sep: string): string =>
  `${id.slice(0, 6)}${sep}${id.slice(6, 14)}${sep}${id.slice(14)}`;

function logged(value: string): string {
  const { logger, lines } = lineLogger();
  logger.info({ batch: value }, `batch ${value} read`);
  return lines.join('\n');
}

describe('an identifier of area code, date and serial joined by underscores', () => {
  it('is no ID number: its last char is not the check char', () => {
    expect(checkChar(BATCH.replaceAll('_', '').slice(0, 17))).not.toBe(BATCH.at(-1));
    expect(maskNumberShapes(`batch ${BATCH} read`)).toBe(`batch ${BATCH} read`);
    expect(logged(BATCH)).not.toContain('*');
    expect(maskNumberShapes(`file ${BATCH}.xml`)).toBe(`file ${BATCH}.xml`);
  });

  it('masks a real ID number joined or glued by underscores', () => {
    for (const text of [grouped(ID, '_'), `holder_${ID}_v1`, `SFZ_${grouped(ID, '_')}.xml`]) {
      const shown = maskNumberShapes(text);
      expect(shown.replace(/[^0-9X]/g, ''), text).not.toContain(ID.slice(4, -4));
      expect(logged(text)).not.toContain(ID.slice(6, 14));
    }
  });

  it('masks an ID number with a wrong last char when a person parts its groups by spaces or dashes', () => {
    const wrong = `${FIRST17}${checkChar(FIRST17) === '0' ? '1' : '0'}`;
    for (const sep of [' ', '-'])
      expect(maskNumberShapes(grouped(wrong, sep))).toBe(
        grouped(`1101${'*'.repeat(10)}${wrong.slice(14)}`, sep),
      );
  });
});
