/**
 * A bank card's number printed in its groups (`6228 4800 1234 5671`, `6228-4800-1234-5671`, or
 * parted by the ideographic space an IME types) was cut to its last four in a log line (82a4832f)
 * but went out whole in an error's text, and so in a job's failed reason, a dead letter's reason and
 * a failed check in the ledger. Read by the same rule (a card's first digits, the Luhn check), it is
 * cut there too; a number failing the check or a batch in groups stays. Made up, no one's numbers.
 */
import { describe, expect, it } from 'vitest';
import { safeErrorText } from '../../core/error-text.js';
import { storedReason } from '../../pipelines/workers/base.js';

describe("a card number in groups, in an error's text", () => {
  it.each([
    ['card 6228 4800 1234 5671 declined', 'card **** **** **** 5671 declined'],
    ['card 6228-4800-1234-5671', 'card ****-****-****-5671'],
    ['card 6228\u30004800\u30001234\u30005671', 'card **** **** **** 5671'],
    ['{"xm":"\\u5f20\\u4e09"} 6228\u30004800\u30001234\u30005671', '{"xm":"***"} **** **** **** 5671'],
  ])('masks %s', (text, masked) => {
    expect(safeErrorText(text)).toBe(masked);
    expect(safeErrorText(text, { numbers: 'shapes' })).toBe(masked);
  });

  it('masks it in a stored reason', () => {
    expect(storedReason(new Error('bank answered: card 6228 4800 1234 5671 declined'))).toBe(
      'Error: bank answered: card **** **** **** 5671 declined',
    );
  });

  it.each(['card 6228 4800 1234 5678 declined', 'batch 2024 0101 0001', 'batch 2024 0101 1234 5671'])(
    'keeps %s, no card (Luhn, issuer)',
    (text) => {
      expect(safeErrorText(text)).toBe(text);
      expect(storedReason(new Error(text))).toBe(`Error: ${text}`);
    },
  );
});
