/**
 * A legal entity's credit code is kept whole in text from outside only when each of its parts reads
 * as GB 32100 has it: a registration department and a kind of institution that department
 * registers, a division code of a province (or 100000, the national level), and an organisation
 * code whose own check char is right (GB 11714), besides the code's check char. Its check char
 * alone is right for one run of 18 letters and digits in 31, and a card number after a country's
 * letters, an ID number's first 16 digits after letters, its last 15 before letters, or a mobile
 * number run on into a digit and letters went out whole that often (`refused: CN6222600884400462`,
 * masked before as `**************0462`).
 */
import { describe, expect, it } from 'vitest';
import { safeErrorText } from '../../core/error-text.js';
import { scrubPersonal } from '../../core/scrub.js';
import { seededDraws } from '../support/seeded-draws.js';

const scrub = (text: string) => scrubPersonal(text, [], () => '***');
const shown = (text: string) => [scrub(text), safeErrorText(text)];

// GB 11643's check char for 17 digits.
const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const idCheck = (body: string): string =>
  '10X98765432'[WEIGHTS.reduce((s, w, i) => s + w * Number(body[i]), 0) % 11] as string;

describe('a run of letters and digits whose check char alone reads right', () => {
  it.each([
    ['refused: CN6222600884400462', 'refused: **************0462'],
    ['holder AB1608481978050518 refused', 'holder **************0518 refused'],
    ['holder 808193005097846ABC refused', 'holder **************6ABC refused'],
    ['tel 176000248020BHTMTB', 'tel **************TMTB'],
  ])('is cut as before: %s', (text, cut) => {
    for (const out of shown(text)) expect(out).toBe(cut);
  });

  // Seeded, so each run draws the same numbers: about 1 in 31 of each kind went out whole.
  const { rnd, chars, digits } = seededDraws(20261207);
  const letters = (n: number): string => chars(n, 'ABCDEFGHJKLMNPQRTUWXY');
  const idNumber = (): string => {
    const month = String(1 + rnd(12)).padStart(2, '0');
    const day = String(1 + rnd(28)).padStart(2, '0');
    const body = `${110000 + rnd(550000)}${1930 + rnd(80)}${month}${day}${digits(3)}`;
    return `${body}${idCheck(body)}`;
  };
  const mobile = () => `1${'3456789'[rnd(7)]}${digits(9)}`;

  it.each([
    [
      'a card number after letters',
      () => ((card) => [card, `refused: ${letters(2)}${card}`])(`62${digits(14)}`),
    ],
    [
      'an ID number’s first 16 digits after letters',
      () => ((id) => [id, `holder ${letters(2)}${id} refused`])(idNumber().slice(0, 16)),
    ],
    [
      'an ID number’s last 15 before letters',
      () => ((id) => [id, `holder ${id}${letters(3)} refused`])(idNumber().slice(3)),
    ],
    [
      'a mobile number run on into a digit and letters',
      () => ((tel) => [tel, `tel ${tel}${rnd(10)}${letters(6)}`])(mobile()),
    ],
    [
      'a mobile number after a letter, before digits',
      () => ((tel) => [tel, `tel ${letters(1)}${tel}${digits(2)}${letters(4)}`])(mobile()),
    ],
  ] as [string, () => [string, string]][])('never shows %s (1,000 drawn)', (_, draw) => {
    const whole: string[] = [];
    for (let n = 0; n < 1000; n++) {
      const [secret, text] = draw();
      if (shown(text).some((out) => out.includes(secret))) whole.push(text);
    }
    expect(whole).toEqual([]);
  });
});

describe("a credit code's parts", () => {
  it.each([
    // Each passes GB 32100's check; one part is not what GB 32100 or GB 11714 has.
    ['a kind its department does not register (1 → 7)', 'unit 17370200MA3C4X5Y5L refused'],
    ['no registration department (B)', 'unit B1370200MA3C4X5Y5W refused'],
    ['a kind the market regulator does not register (9 → 4)', 'unit 94370200MA3C4X5Y5M refused'],
    ['no province (99)', 'unit 91990200MA3C4X5Y5F refused'],
    ['no division (000000)', 'unit 91000000MA3C4X5Y5K refused'],
    ["a wrong organisation code's check char (6 for 5)", 'unit 91370200MA3C4X5Y62 refused'],
    // A mobile number at the start of a code, or after its letter, and digits after it.
    ['a mobile number and a digit (13712345678 9…)', 'unit 1371234567890ABC8E refused'],
    ['a letter, a mobile number and a digit (A 13712345678 0…)', 'unit A137123456780ABC47 refused'],
    // A mobile number's eleven digits from the code's kind or division on, digits after them: a
    // unit's code may read so (9137021167890ABC84), and so may a person's number glued on.
    // An ID number typed wrong in its date: month 19 in its first 16 digits after N1; an old
    // number after 91, month 28.
    ['a letter, a digit and an ID number (N1 110105 1952 19…)', 'holder N11101051952191590 refused'],
    ['an old number after 91 (120101 792806 845)', 'holder 91120101792806845M refused'],
    ['a digit, a mobile number and a digit (9 13702116789 0…)', 'issuer 9137021167890ABC84 refused'],
    ['a digit, a mobile number and digits (9 16467834547 8054…)', '平台返回：9164678345478054XW'],
    ['two digits, a mobile number and digits (91 15340109449 491…)', 'uscc=9115340109449491XD'],
    ['a digit, a mobile number and digits (1 16294967644 38037…)', '申请单位 11629496764438037B 不存在'],
    // A card's 16 digits after the code's first digits, checking right in themselves only.
    ['a digit and a Visa card (3 4128944187508401)', '平台返回：34128944187508401G 校验失败'],
    ['a Visa card and a digit (4952370388850080 8)', 'uscc=49523703888500808E'],
    ['a letter, a digit and a UnionPay card (A9 6295045219195225)', '{"reason":"A96295045219195225 不存在"}'],
  ])('cut when it has %s', (_, text) => {
    for (const out of shown(text)) expect(out).not.toBe(text);
  });

  it.each([
    ['unit 91370200MA3C4X5Y5Y refused', '91370200MA3C4X5Y5Y'],
    ['society 51110000MJ0012342P refused', '51110000MJ0012342P'],
    ['collective N2370211MA3098E102 refused', 'N2370211MA3098E102'],
    ['other Y1370211MA3098E10W refused', 'Y1370211MA3098E10W'],
    ['issuer 11100000MB03271699 refused', '11100000MB03271699'],
  ])('kept whole when each reads right: %s', (text, code) => {
    for (const out of shown(text)) expect(out).toContain(code);
  });

  // A code whose organisation code is all digits runs 17 digits, and is cut only when they may be
  // a person's number (credit-code-all-digit-org): 11100000000013338W holds nothing of a person's;
  // 11330105002500287C and 113301050025MA292Q hold a mobile number's eleven digits (1 13301050025).
  it.each([
    ['definer 11100000000013338W refused', 'definer 11100000000013338W refused'],
    [
      'license 1.2.156.3005.2.11100000000013338W009.11330105002500287C.2025052201.002.0',
      'license 1.2.156.3005.2.11100000000013338W009.**************287C.******2201.002.0',
    ],
    [
      'license 1.2.156.3005.2.91370200MA3C4X5Y5Y009.113301050025MA292Q.2025052201.002.0',
      'license 1.2.156.3005.2.91370200MA3C4X5Y5Y009.**************292Q.******2201.002.0',
    ],
  ])('cut only where a person’s number may be: %s', (text, cut) => {
    for (const out of shown(text)) expect(out).toBe(cut);
  });
});

describe('a run of digits alone', () => {
  // A mistyped ID number (a month or day no calendar has), a card number, an ID number's first 16
  // digits after 91, an account number: each passed every check of a credit code's parts and went
  // out whole; a legal entity's code keeps a letter among its 18 chars, so none of them is one.
  it.each([
    ['身份证号码341102198724151234与姓名不符', '身份证号码**************1234与姓名不符'],
    ['证件号611102197702830784', '证件号**************0784'],
    ['银行卡号621196902814972431', '银行卡号**************2431'],
    ['id 911101051996091031', 'id **************1031'],
    ['账号715292918985917154144', '账号*****************4144'],
  ])('is cut to its last four: %s', (text, cut) => {
    for (const out of shown(text)) expect(out).toBe(cut);
  });

  // Seeded, so each run draws the same numbers (test/support/seeded-draws.ts).
  const { rnd, digits } = seededDraws(20261208);
  // An ID number's 17 digits with a month or a day no calendar has: the year alone marks them.
  const mistypedBody = (): string => {
    const [month, day] = rnd(2) === 0 ? [13 + rnd(87), 1 + rnd(28)] : [1 + rnd(12), 32 + rnd(68)];
    const date = `${String(month).padStart(2, '0')}${String(day).padStart(2, '0')}`;
    return `${110000 + rnd(550000)}${1930 + rnd(80)}${date}${digits(3)}`;
  };
  const alphabet = '0123456789ABCDEFGHJKLMNPQRTUWXY';

  it.each([
    ['a mistyped ID number', () => ((body) => `${body}${idCheck(body)}`)(mistypedBody())],
    ['a mistyped ID number with a letter for its check char', () => `${mistypedBody()}${alphabet[rnd(31)]}`],
    ['18 random digits', () => digits(18)],
    ['21 random digits', () => digits(21)],
  ] as [string, () => string][])('never shows %s (20,000 drawn)', (_, draw) => {
    const whole: string[] = [];
    for (let n = 0; n < 20000; n++) {
      const secret = draw();
      const text = `holder ${secret} refused`;
      if (shown(text).some((out) => out.includes(secret))) whole.push(text);
    }
    expect(whole).toEqual([]);
  });
});
