/**
 * An individual business's credit code (GB 32100 `92…`, it names a person as an ID number does)
 * written in lower case, as a system keying its holders by it may store it (`92370211ma3098e10f`),
 * in an error's text: the code's shape was looked for in upper case only, so the digit rule cut its
 * first digits alone and the rest stood (`****0211ma3098e10f`). A log line masks it already
 * (individual-business-code-lower-case); error text, what `status`, the ledger, Redis and the CLI
 * show, now cuts it as it cuts the upper-case code.
 */
import { randomInt } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { safeErrorText } from '../../core/error-text.js';
import { errorLine, printedMessage } from '../../core/errors.js';
import { scrubPersonal } from '../../core/scrub.js';
import { usccCheckFor, usccSum } from '../../core/uscc.js';

const ORG_CHARS = '0123456789ABCDEFGHJKLMNPQRTUWXY';
function code(): string {
  const org = Array.from({ length: 7 }, () => ORG_CHARS.charAt(randomInt(ORG_CHARS.length))).join('');
  const body = `92370211MA${org}`;
  return `${body}${usccCheckFor(usccSum(body))}`;
}
/** What stays of a code: its last four, in the case it was written. */
const cut = (c: string): string => `${'*'.repeat(14)}${c.slice(-4)}`;

describe("an individual business's credit code in lower case in an error's text", () => {
  it('is cut to its last four as in upper case, alone and glued to letters', () => {
    const upper = code();
    const lower = upper.toLowerCase();
    expect(safeErrorText(`holder ${upper} refused`)).toBe(`holder ${cut(upper)} refused`);
    expect(safeErrorText(`holder ${lower} refused`)).toBe(`holder ${cut(lower)} refused`);
    expect(errorLine(new Error(`holder ${lower} refused`))).toBe(`holder ${cut(lower)} refused`);
    expect(scrubPersonal(`key uscc${lower}`, [], () => '***')).not.toContain(lower.slice(4, 14));
  });

  it('is masked where the CLI and a config check print an error', () => {
    const lower = code().toLowerCase();
    expect(printedMessage(new Error(`holder ${lower} refused`))).not.toContain(lower.slice(4, 14));
  });

  it("leaves a legal entity's code in lower case whole, as in upper case", () => {
    const text = 'issuer 91370406l24894136j not registered';
    expect(safeErrorText(text)).toBe(text);
  });
});
