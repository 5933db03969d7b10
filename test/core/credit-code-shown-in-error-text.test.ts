/**
 * A legal entity's unified social credit code (GB 32100) is public registration data, and an error
 * from outside needs it whole to say which unit a platform refused: the digit rule of text from
 * outside cut it to its last four (`**************136J`, `****0200MA3C4X5Y5Y`). A code whose parts and
 * check chars read right (credit-code-parts-checked) is kept whole now, alone, glued to letters or in a license identifier. Still cut: an
 * individual business's code (`92…`, it names a person), and anything a resident ID number may be.
 * An ID number passes GB 32100 one time in 31 (`11010519491231037X`, `110105194912310409` pass
 * both checks), so 17 digits with a year of birth where an ID number has one (whatever its month
 * and day read: one may be mistyped), exactly 15 digits in a row (an old number's), or 18 with no
 * letter, are never read as a code; nor eleven digits of a mobile number's shape starting or
 * ending a run of digits (`PH13800138000XYWAJ`, a number glued to letters that passes too). What
 * else keeps a code whose organisation code is all digits cut: credit-code-all-digit-org.
 */
import { describe, expect, it } from 'vitest';
import { safeErrorText } from '../../core/error-text.js';
import { scrubPersonal } from '../../core/scrub.js';
import { isValidUscc } from '../../core/uscc.js';

const scrub = (text: string) => scrubPersonal(text, [], () => '***');
const shown = (text: string) => [scrub(text), safeErrorText(text)];

// GB 11643's check char for 17 digits.
const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const idCheck = (body: string): string =>
  '10X98765432'[WEIGHTS.reduce((s, w, i) => s + w * Number(body[i]), 0) % 11] as string;

describe('a credit code in text from outside', () => {
  it.each([
    'platform refused: issuer 91370406L24894136J not registered',
    'unit 91370200MA3C4X5Y5Y has no such license type',
    'issuer 11100000MB03271699 not registered',
    'key USCC91370406L24894136J refused',
    'issuer code=%2291370406L24894136J%22 unknown',
  ])('is kept whole: %s', (text) => {
    for (const out of shown(text)) expect(out).toBe(text);
  });

  it('is kept whole in a license identifier, whose serial is cut as a run of digits', () => {
    const text = 'license 1.2.156.3005.2.91370200MA3C4X5Y5Y032.91370406L24894136J.2430599.001.F refused';
    for (const out of shown(text))
      expect(out).toBe(
        'license 1.2.156.3005.2.91370200MA3C4X5Y5Y032.91370406L24894136J.***0599.001.F refused',
      );
  });

  it('is kept whole when its organisation code is all digits and none may be a person’s', () => {
    const text = 'license 1.2.156.3005.2.11100000000013338W032.11220000013544541J.2430599.001.F refused';
    for (const out of shown(text))
      expect(out).toBe(
        'license 1.2.156.3005.2.11100000000013338W032.11220000013544541J.***0599.001.F refused',
      );
  });

  it('is cut as before when it has no right check char or is an individual business', () => {
    // Z is outside GB 32100's alphabet: no code.
    expect(scrub('unit 91370200MA3C4X5Y6Z refused')).toBe('unit ****0200MA3C4X5Y6Z refused');
    expect(scrub('holder 92370211MA3098E10F refused')).toBe('holder **************E10F refused');
  });
});

describe('what may be a person number is never kept as a code', () => {
  // Every 18-digit ID number of one area and birth date whose check char GB 32100 also reads right.
  const both = Array.from({ length: 1000 }, (_, q) => `11010519491231${String(q).padStart(3, '0')}`)
    .map((body) => `${body}${idCheck(body)}`)
    .filter(isValidUscc);

  it('finds ID numbers passing both checks (the reason for the rule)', () => {
    expect(both.length).toBeGreaterThan(20);
    expect(both).toContain('11010519491231037X');
  });

  it('masks each of them, alone and glued to letters', () => {
    for (const id of both)
      for (const text of [`holder ${id} refused`, `SFZ${id} refused`, `id=${id}`])
        for (const out of shown(text)) expect(out).not.toContain(id.slice(4, 14));
  });

  it.each([
    // An ID number's check char mistyped as a letter GB 32100 reads right.
    ['holder 11010519491231002B refused', '19491231'],
    // An old 15-digit number inside 17 digits and a letter, which GB 32100 reads right.
    ['key 91110101900307123K x', '0101900307'],
    ['key 11101019003071234B x', '0101900307'],
    // A mobile number glued to letters that GB 32100 reads right as a code.
    ['tel PH13800138000XYWAJ refused', '13800138'],
    // Mobile numbers beside codes.
    ['contact 13800138000 of 91370406L24894136J', '13800138'],
    ['contact 138-0013-8000 of 91370406L24894136J', '0013'],
  ])('masks the person in %s', (text, secret) => {
    for (const out of shown(text)) expect(out).not.toContain(secret);
  });
});
