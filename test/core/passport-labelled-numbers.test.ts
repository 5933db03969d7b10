/**
 * A number written after a label saying it is a document's (证件号码, 护照号, 通行证号码, `passport`,
 * `passportNo`, `permit no.`) is a person's, whatever it reads as bare: a Hong Kong passport's K and
 * eight digits that read as a date (`K19850312`, left as a serial since 328902ab) and the two-letter
 * and dotted series typed in lower case (`de1234567`, `p.1234567`: PRC passports print capitals,
 * but a person types a legacy form's field as they like) went out whole in a log line, and cut to
 * `K****0312` in an error's text. After such a label they are masked as a passport number is; bare,
 * they stay a serial, a code or a page, and so does a number after any other label. A log field
 * named after the document (`passportNo`) is redacted as `idNumber` is.
 */
import { describe, expect, it } from 'vitest';
import { maskNumberShapes } from '../../core/personal-shapes.js';
import { everywhere, loggedTexts } from '../logging/labelled-fixture.js';
import { lineLogger } from '../support/log-lines.js';

describe('a document number after its label', () => {
  it.each([
    ['证件号码：K19850312', 'K19850312', '19850312'],
    ['证件号码:K19850312，请核对', 'K19850312', '19850312'],
    ['护照号 K20010101 已过期', 'K20010101', '20010101'],
    ['护照号码K19850312', 'K19850312', '19850312'],
    ['港澳通行证号码：K19850312', 'K19850312', '19850312'],
    ['passport: K19850312', 'K19850312', '19850312'],
    ['passport no. K19850312 expired', 'K19850312', '19850312'],
    ['Passport Number K19850312', 'K19850312', '19850312'],
    ['{"passportNo":"K19850312"}', 'K19850312', '19850312'],
    ['holder passportNo=k19850312&x=1', 'k19850312', '19850312'],
    ['PASSPORT_NO: K19850312', 'K19850312', '19850312'],
    ['permit no: K19850312', 'K19850312', '19850312'],
    ['护照号：de1234567', 'de1234567', '1234567'],
    ['passport: ma1234567', 'ma1234567', '1234567'],
    ['证件号码：se1234567', 'se1234567', '1234567'],
    ['护照号码 pe1234567', 'pe1234567', '1234567'],
    ['passport: p.1234567', 'p.1234567', '1234567'],
    ['护照号：s.7654321', 's.7654321', '7654321'],
    ['zjhm=de1234567', 'de1234567', '1234567'],
    ['证件号码为K19850312的记录不存在', 'K19850312', '19850312'],
    ['护照号（K19850312）已过期', 'K19850312', '19850312'],
    ['holder passport (de1234567) expired', 'de1234567', '1234567'],
    ['key holderPassportK19850312', 'K19850312', '19850312'],
  ])('is masked in %s', (text, number, digits) => {
    for (const out of everywhere(text)) {
      expect(out).not.toContain(number);
      expect(out).not.toContain(digits.slice(0, 6));
    }
    expect(maskNumberShapes(text)).toBe(
      text.replace(number, `${number[0]}${'*'.repeat(number.length - 2)}${number.at(-1)}`),
    );
  });

  it('redacts a log field named after the document', () => {
    const { logger, lines } = lineLogger();
    logger.info({ passportNo: 'K19850312', passport_number: 'de1234567', zjhm: 'K19850312' }, 'read');
    expect(lines[0]).not.toContain('19850312');
    expect(lines[0]).not.toContain('1234567');
  });
});

describe('the same shapes standing bare or after another label', () => {
  it.each([
    'serial K20240101 printed',
    'batch K19850312 done',
    'order no. K20240101',
    'code de1234567, ma1234567, se1234567',
    'see p.1234567',
    'license 证照编号：K20240101',
    'passport: expired since 2024',
    '证件号码：不能为空',
    'passport check K job ran 12345678 times',
    'passport note K20240101 attached',
    'compassport K20240101',
  ])('keeps %s as it was in a log line', (text) => {
    expect(maskNumberShapes(text)).toBe(text);
    for (const out of loggedTexts(text)) expect(out).toBe(text);
  });

  it('keeps a UUID after a document label', () => {
    const text = 'passport: D1234567-89ab-4cde-8f01-23456789abcd';
    expect(maskNumberShapes(text)).toBe(text);
  });
});
