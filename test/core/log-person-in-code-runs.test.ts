/**
 * A log line cuts what is positively a person's number inside a run of letters and digits, and
 * leaves a run that may be a unit's credit code (GB 32100) whole, as operators read which unit and
 * which license a line is about. Positively a person's: an ID number (GB 11643) whose check char,
 * province and birth date are right, with letters or digits glued before or after it (masked by
 * its shape, it was found only with no digit beside it: `7` then an ID number went out whole); and
 * a bank card's 16 to 19 digits that pass the Luhn check, in a run no unit's code can be. A run
 * that may be a unit's code holds digits that read as a card or a mobile number one time in ten:
 * those stay (`34128944187508401G`), and so do 15 digits with an old ID number's shape there.
 */
import { describe, expect, it } from 'vitest';
import { lineLogger, loggedMessages } from '../support/log-lines.js';

// GB 11643's own vectors (STANDARDS.md §2): check chars right.
const ID = '11010519491231002X';
const ID_DIGIT_CHECK = '440524188001010014';
// A right ID number that passes GB 32100's check char too (one in 31 do): the ID number wins.
const ID_PASSING_GB32100 = '11010519491231037X';
// Made up, Luhn right: a UnionPay card of 16 and of 19 digits, a Visa card.
const CARD_16 = '6207472555116663';
const CARD_19 = '6259141561837010609';
const VISA = '4059880217318168';
// Units' codes with a right GB 32100 check char: digits that read as a card's, no issuer's first
// digits (34) before them, as a mobile number after `9`, an ID number's first 16 digits after `N1`, an all-digit organisation
// code before a letter check char, and a military unit's (`A1`) whose 15 digits have an old ID
// number's shape.
const UNIT_CODES = [
  '34128944187508401G',
  '9164678345478054XW',
  'N11101051952191590',
  '9144030071526726XG',
  'A143940160921560X5',
  '91370406L24894136J',
  '11100000MB03271699',
];
// The demo's issuer (its organisation code's GB 11714 check char is wrong) and license identifiers.
const DEMO_ISSUER = '11370211MB12345672';
const LICENSES = [
  '1.2.156.3005.2.11370200MB12345674001.11370211MB12345672.B000000001.001.F',
  '1.2.156.3005.2.11100000000013338W032.11220000013544541J.2430599.001.F',
  `1.2.156.3005.2.11370200MB12345674001.11370211MB12345672.${CARD_16}.001.F`,
];

describe('a person number inside a run of letters and digits in a log line', () => {
  it('masks an ID number with a digit or letters glued before or after it', () => {
    const runs = [`7${ID_DIGIT_CHECK}`, `${ID_DIGIT_CHECK}5`, `N1${ID_DIGIT_CHECK}`, `${ID_DIGIT_CHECK}032`];
    const msgs = loggedMessages(
      [...runs, `3${ID}4`, `N1${ID.toLowerCase()}`].map((r) => `holder ${r} refused`),
    );
    for (const msg of msgs) {
      expect(msg).not.toContain(ID_DIGIT_CHECK.slice(0, 17));
      expect(msg).not.toContain(ID.slice(0, 17));
    }
    expect(msgs[0]).toBe('holder 74405**********0014 refused');
    expect(msgs[2]).toBe('holder N14405**********0014 refused');
    expect(msgs[3]).toBe('holder 4405**********0014032 refused');
  });

  // Masked by its shape before 418e5ace too: guards that the unit code's reading does not win.
  it('still masks an ID number standing alone that passes a credit code check char as well', () => {
    const [msg] = loggedMessages([`holder ${ID_PASSING_GB32100} refused`]);
    expect(msg).toBe('holder 1101**********037X refused');
  });

  it("cuts a bank card's number standing alone or glued to letters to its last four", () => {
    const msgs = loggedMessages([`card ${CARD_16}`, `card ${CARD_19}`, `card CN${VISA}`, `card=${VISA}x`]);
    expect(msgs).toEqual([
      'card ************6663',
      'card ***************0609',
      'card CN************8168',
      'card=************8168x',
    ]);
  });

  it('cuts a card number logged as a number', () => {
    const { lines, logger } = lineLogger('trace');
    logger.info({ cardNo: Number(CARD_16) }, 'refused');
    expect(lines[0]).toContain('"cardNo":"************6663"');
  });

  it("keeps a unit's code whole, in either case and with a type code's digits after it", () => {
    const texts = [...UNIT_CODES, DEMO_ISSUER].flatMap((code) => [
      `unit ${code} refused`,
      `unit ${code.toLowerCase()} refused`,
      `type ${code}032 refused`,
    ]);
    expect(loggedMessages(texts)).toEqual(texts);
  });

  // Whole before 418e5ace too: guards that the card rule leaves a serial of a card's digits.
  it("keeps license identifiers whole, one whose serial is a card's digits among them", () => {
    const texts = LICENSES.map((license) => `license ${license} delivered`);
    expect(loggedMessages(texts)).toEqual(texts);
  });
});
