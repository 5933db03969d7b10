/**
 * A person's document number after its label, written with dashes (`证件号码：G1234-5678`,
 * `certNo=AB-123-4567`, `passportNo=E-12345678`) or in full-width characters
 * (`证件号码：ＡＢＣ１２３４５６`), and one under `documentNo` or `certificateNo` (the spelt-out
 * `certNo`): each went out whole in a log line, and an error's text cut only a run of seven digits
 * (`AB-***4567`) or none. Masked now; a date, a code of words and a number after no person's
 * document label stay. Made up, no one's numbers.
 */
import { describe, expect, it } from 'vitest';
import { safeErrorText } from '../../core/error-text.js';
import { logged, stored } from '../logging/labelled-fixture.js';

const shown = (text: string): string[] => {
  const { field, msg } = logged(text);
  return [field, msg, safeErrorText(text), stored(text)];
};

describe("a person's document number, dashed, full-width or under a spelt-out key", () => {
  it.each([
    ['证件号码：G1234-5678', ['1234-5678', '1234']],
    ['证件号码：AB-1234567', ['1234567', '123']],
    ['certNo=AB-123-4567', ['123-4567', '-123-']],
    ['护照号：E12-345-678', ['345', '12-3']],
    ['passportNo=E-12345678', ['12345678', '1234']],
    ['证件号码：ABC－123456', ['123456', '１２３', '123']],
    ['证件号码：ＡＢＣ１２３４５６', ['１２３４５６', '１２３']],
    ['证件号码：ＡＢ－１２３４５６７', ['１２３４５６７', '１２３']],
    ['documentNo=AB1234567', ['1234567', '123']],
    ['document_no: C01X00T47', ['C01X00T47', '01X00']],
    ['certificateNo=AB1234567', ['1234567', '123']],
    ['documentNo=ＤＸ１２３４５６７８', ['１２３４５６７８', '１２３４']],
    ['{"certificateNumber":"1234567890"}', ['1234567890', '123456']],
  ])('masks %s', (text, parts) => {
    for (const s of shown(text)) for (const part of parts) expect(s).not.toContain(part);
  });

  it.each([
    '护照 2024-01-15 到期',
    '证件号码：LB-SOURCE-SCHEMA',
    'orderNo=AB-123-4567',
    'documentType=passport',
    '证件有效期：2024-01-01至2034-01-01',
    'licenseNo=ZZ-2024-0001',
  ])('keeps %s in a log line', (text) => {
    expect(logged(text).field).toBe(text);
  });
});
