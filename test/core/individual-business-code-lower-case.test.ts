/**
 * An individual business's credit code (GB 32100 9 and 2) written in lower case, as a system that
 * keys its holders by it may store it (`92370211ma3098e10f`): a log line masks the code as an ID
 * number is masked (individual-business-code-shapes), but looked for its letters in upper case
 * only, so the lower-case code went out whole in the message and every field.
 */
import { randomInt } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { maskLogShapes } from '../../core/personal-shapes.js';
import { usccCheckFor, usccSum } from '../../core/uscc.js';
import { lineLogger } from '../support/log-lines.js';

const ORG_CHARS = '0123456789ABCDEFGHJKLMNPQRTUWXY';
/** A generated individual business's code in lower case: 92, a division of Qingdao, `MA`, a check char. */
function lowerCode(): string {
  const org = Array.from({ length: 7 }, () => ORG_CHARS.charAt(randomInt(ORG_CHARS.length))).join('');
  const body = `92370211MA${org}`;
  return `${body}${usccCheckFor(usccSum(body))}`.toLowerCase();
}
const masked = (code: string): string => `${code.slice(0, 4)}${'*'.repeat(10)}${code.slice(-4)}`;

describe("an individual business's credit code in lower case in a log line", () => {
  it('is masked as in upper case, its case kept in what stays', () => {
    // One whose check char is a letter, so the case matters to it too.
    let code = lowerCode();
    while (!/[a-z]$/.test(code)) code = lowerCode();
    expect(maskLogShapes(`holder ${code} refused`)).toBe(`holder ${masked(code)} refused`);
    expect(maskLogShapes(`key uscc${code}`)).toBe(`key uscc${masked(code)}`);
  });

  it("is masked in a log line's message and fields", () => {
    const code = lowerCode();
    const { logger, lines } = lineLogger();
    logger.info({ sourceKey: code }, `delivered key ${code}`);
    expect(lines.length).toBe(1);
    expect(lines[0]).not.toContain(code);
    expect(lines[0]).toContain(`"sourceKey":"${masked(code)}"`);
  });

  it('leaves a lower-case run whose check char is wrong', () => {
    const code = lowerCode();
    const last = code.slice(-1);
    const wrong = `${code.slice(0, -1)}${last === '0' ? '1' : '0'}`;
    expect(maskLogShapes(`batch ${wrong}`)).toBe(`batch ${wrong}`);
  });
});
