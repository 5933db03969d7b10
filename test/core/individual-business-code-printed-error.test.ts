/**
 * An individual business's credit code (GB 32100 `92…`, it names a person as an ID number does) in
 * a licbridge error the CLI prints (`config check`, a command's failure): its numbers are masked by
 * shape only, so the license ids and option values the person gave stay, and that masking knew
 * ID, mobile and passport numbers but not this code, which went out whole in either case. A log
 * line masks it (individual-business-code-shapes); the printed message now masks it alike.
 */
import { randomInt } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { safeErrorText } from '../../core/error-text.js';
import { ErrorCodes, LicbridgeError, printedMessage } from '../../core/errors.js';
import { usccCheckFor, usccSum } from '../../core/uscc.js';

const ORG_CHARS = '0123456789ABCDEFGHJKLMNPQRTUWXY';
function code(): string {
  const org = Array.from({ length: 7 }, () => ORG_CHARS.charAt(randomInt(ORG_CHARS.length))).join('');
  const body = `92370211MA${org}`;
  return `${body}${usccCheckFor(usccSum(body))}`;
}
const masked = (c: string): string => `${c.slice(0, 4)}${'*'.repeat(10)}${c.slice(-4)}`;

describe("an individual business's credit code in an error printed with numbers masked by shape", () => {
  it('is masked as a log line masks it, in either case', () => {
    for (const c of [code(), code().toLowerCase()]) {
      const own = new LicbridgeError(ErrorCodes.CONFIG_INVALID, `config: holder ${c} is not a key`);
      expect(printedMessage(own)).toBe(`config: holder ${masked(c)} is not a key`);
      expect(safeErrorText(`holder ${c}`, { numbers: 'shapes' })).toBe(`holder ${masked(c)}`);
    }
  });

  it("leaves a legal entity's code and a license id's digits", () => {
    const text = 'license 1.2.156.3005.2.91370406L24894136J.2430599.001 for 91370406L24894136J';
    expect(safeErrorText(text, { numbers: 'shapes' })).toBe(text);
  });
});
