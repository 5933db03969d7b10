/**
 * What a log line cuts inside a run of digits is what a check tells a person's: a card's number
 * from an issuer's first digits (ISO/IEC 7812) with a right Luhn check, an ID number (GB 11643)
 * whose birth date and check char are right. Luhn's check passes one run of digits in ten: from any
 * of 2-6 and 9 418e5ace cut a compact time, a batch number and a platform's serial as a card's; and
 * a license identifier of three parts after its root, as licenseId builds it, had its serial cut.
 */
import { describe, expect, it } from 'vitest';
import { loggedMessages } from '../support/log-lines.js';

describe('runs of digits a log line leaves whole', () => {
  it('keeps compact times, batch numbers and serials that pass the Luhn check from no issuer', () => {
    // Each passes the Luhn check: 20 is no issuer's (a time's century), nor 37 with 16 digits.
    const texts = [
      'request 20240327234021132 sent',
      'batch 2026082207282298 queued',
      'serial 3703008557784508 read',
    ];
    expect(loggedMessages(texts)).toEqual(texts);
  });

  it("keeps a license identifier of three parts after its root whole, its serial a card's digits", () => {
    const texts = [
      'license 1.2.156.3005.2.11370200MB12345674001.11370211MB12345672.4140344936465827 held',
      'license 1.2.156.3005.2.11370200MB12345674001.11370211MB12345672.4140344936465827.001.F held',
    ];
    expect(loggedMessages(texts)).toEqual(texts);
  });

  it("keeps 16 digits from a card's first digits whose Luhn check is wrong", () => {
    const texts = ['ref 4059880217318169 read', 'ref 6207472555116664 read'];
    expect(loggedMessages(texts)).toEqual(texts);
  });

  it('keeps a digit glued to what has a province and a birth date but a wrong check char', () => {
    // 440524188001010014 is right; 0015 is not.
    const texts = ['holder 7440524188001010015 refused', 'holder 4405241880010100157 refused'];
    expect(loggedMessages(texts)).toEqual(texts);
  });

  it('keeps a digit glued to what has a right check char but no calendar date (month 13)', () => {
    const texts = ['holder 7440524188013010011 refused'];
    expect(loggedMessages(texts)).toEqual(texts);
  });

  it('keeps a digit glued to what has a right check char but a birth date ahead (2099)', () => {
    const texts = ['license no 737021120990323562X issued', 'license no 3702112099032356387 issued'];
    expect(loggedMessages(texts)).toEqual(texts);
  });
});

describe("cards a log line cuts by their issuer's first digits", () => {
  it('cuts Mastercard 2-series and 5-series, JCB, UnionPay and Discover numbers', () => {
    // Issuers' published test numbers.
    const cards = [
      '2221000000000009',
      '5555555555554444',
      '3530111333300000',
      '6011111111111117',
      '6200000000000005',
    ];
    expect(loggedMessages(cards.map((card) => `card ${card} refused`))).toEqual(
      cards.map((card) => `card ************${card.slice(12)} refused`),
    );
  });
});
