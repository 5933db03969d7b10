/**
 * A log line leaves a person's number whole inside a run of letters and digits only where the run
 * may be a unit's credit code: 18 chars, or 21 with a license type code's three digits, whose first
 * two chars are a department and a kind it registers (GB 32100 table 1), then a province's division
 * and a right check char. 418e5ace took any 18 chars near the number, in either case, whatever
 * kind: a mobile number or an old ID number glued to a name in pinyin went out whole
 * (`19368451063zhangsan`), where cbda075f had masked it, and so did a card's digits glued to
 * letters.
 */
import { describe, expect, it } from 'vitest';
import { lineLogger, loggedMessages } from '../support/log-lines.js';

// Made up: a mobile number, an old ID number (1943-12-17), a Visa card (Luhn right).
const MOBILE = '19368451063';
const OLD_ID = '610823431217228';
const CARD = '6297043163178857';

function loggedDetail(detail: string): string {
  const { lines, logger } = lineLogger('trace');
  logger.info({ detail }, 'refused');
  return (JSON.parse(lines[0] ?? '{}') as { detail: string }).detail;
}

describe('a person number glued to letters in a log line, in no unit code', () => {
  it('masks a mobile number or an old ID number glued to a name in pinyin, as cbda075f did', () => {
    expect(loggedMessages([`source key ${MOBILE}zhangsan rejected`, `row ${OLD_ID}lisi rejected`])).toEqual([
      'source key *******1063zhangsan rejected',
      'row 6108*******7228lisi rejected',
    ]);
  });

  it('masks them where 18 chars of a longer run would be a unit code, a right check char among them', () => {
    // `133702110315012WAN`: department 1, kind 3, division 370211 and GB 32100's check char right.
    const msgs = loggedMessages([
      'source key 133702110315012wangfang rejected',
      'source key 133702110315012WANGFANG rejected',
      'source key 13370211028huangpeng rejected',
    ]);
    expect(msgs).toEqual([
      'source key 1337*******5012wangfang rejected',
      'source key 1337*******5012WANGFANG rejected',
      'source key *******1028huangpeng rejected',
    ]);
  });

  it('masks them where 18 chars around them pass the check char but b4 is no department and kind', () => {
    const msgs = loggedMessages(['k=Nb410722890420153h x', 'k=NB410722890420153H x']);
    for (const msg of msgs) expect(msg).not.toContain('410722890420153');
  });

  it('masks them in a field, a URL, Chinese text and full-width digits', () => {
    expect(loggedDetail(`holder ${MOBILE}zhangsan`)).toBe('holder *******1063zhangsan');
    const texts = [
      `GET /rows?key=${MOBILE}zhangsan failed`,
      `持证人${OLD_ID}lisi未通过`,
      `持证人１９３６８４５１０６３zhangsan未通过`,
    ];
    const msgs = loggedMessages(texts);
    expect(msgs[0]).not.toContain(MOBILE);
    expect(msgs[1]).not.toContain(OLD_ID);
    expect(msgs[2]).not.toContain('１９３６８４５１０６３');
    expect(msgs[2]).not.toContain(MOBILE);
  });

  it("cuts a card's number glued to letters to its last four", () => {
    expect(loggedMessages([`card eH${CARD}Gpgdu refused`])).toEqual(['card eH************8857Gpgdu refused']);
  });
});

// 18 chars with a right GB 32100 check char, whose 17 digits after the department read as a card's
// (9, an older domestic card's first digit, and the Luhn check right).
const CARD_IN_UNIT_CODE = 'N93702115025517162';
// The same shape, each failing one of the unit code's parts: kind 9 is none the department Y
// registers, 99 no province's division, B no department.
const NOT_UNIT_CODES = ['Y93702111723910965', 'N99902118242371848', 'B93702115696395682'];
// An all-digit unit code whose 18 digits pass the Luhn check.
const ALL_DIGIT_UNIT_CODE = '913702119810894769';

describe("a card's digits in what may be a unit's code, in a log line", () => {
  it("keeps a unit's code whole when its digits read as a card's, with a type code's digits too", () => {
    const texts = [CARD_IN_UNIT_CODE, ALL_DIGIT_UNIT_CODE].flatMap((code) => [
      `unit ${code} refused`,
      `type ${code}032 refused`,
    ]);
    expect(loggedMessages(texts)).toEqual(texts);
  });

  it("cuts the card's digits where the kind, the division or the department is none of GB 32100's", () => {
    const msgs = loggedMessages(NOT_UNIT_CODES.map((code) => `unit ${code} refused`));
    expect(msgs).toEqual([
      'unit Y*************0965 refused',
      'unit N*************1848 refused',
      'unit B*************5682 refused',
    ]);
  });

  it("cuts the card's digits in a unit's code with a letter glued to it", () => {
    const msgs = loggedMessages([`unit x${CARD_IN_UNIT_CODE} refused`, `unit ${CARD_IN_UNIT_CODE}q refused`]);
    for (const msg of msgs) expect(msg).not.toContain('3702115025517162');
  });
});
