/**
 * errorLine (core/errors.ts) makes one line of an error for a run's record, a lost tick, a
 * reminder's failure kept in the ledger and log lines. A driver's or a gateway's error quotes the
 * value it refused (`Duplicate entry '测试敏感名' …`), and a holder's name has no shape to mask:
 * it was passed on with only config-reference values replaced. It is hidden as the CLI hides it.
 */
import { describe, expect, it } from 'vitest';
import { ErrorCodes, errorLine, LicbridgeError } from '../../core/errors.js';

const NAME = '测试敏感名';

describe('errorLine of an error licbridge did not make', () => {
  it('hides a value the driver quoted, keeping the key name and the words', () => {
    const e = Object.assign(new Error(`Duplicate entry '${NAME}' for key 'uk_holder'`), {
      code: 'ER_DUP_ENTRY',
    });
    expect(errorLine(e)).toBe("Duplicate entry '***' for key 'uk_holder'");
    expect(errorLine(`The duplicate key value is (${NAME}).`)).toBe('The duplicate key value is (***).');
    expect(errorLine(new Error(`gateway refused: \`${NAME}\``))).toBe('gateway refused: `***`');
  });

  it("keeps a licbridge error's own words as they are", () => {
    const e = new LicbridgeError(
      ErrorCodes.LEDGER,
      'ledger: open failed: expected `schema` to be a plain SQL identifier',
    );
    expect(errorLine(e)).toBe(
      'ledger: open failed: expected `schema` to be a plain SQL identifier [LB_LEDGER]',
    );
  });
});
