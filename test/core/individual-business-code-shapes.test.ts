/**
 * An individual business's unified social credit code (GB 32100 department 9, kind 2: 个体工商户)
 * names a person's business, as an ID number names a person: text from outside cuts it to its last
 * four (core/scrub.ts, docs/troubleshooting.md) and core/legal-entity-code.ts never counts it as a
 * legal entity's. A log line (maskLogShapes) showed it whole, in its message and its fields, a
 * record key among them (`delivered key 92370211MA3098E10F`). It is masked there as an ID number
 * is, its first four and last four kept (`9237**********E10F`), so a person who holds the key still
 * finds the line. A legal entity's code, a license type code and a license identifier stay whole;
 * what is shown to a department by shape (maskNumberShapes: a `001` holder's id in `preview`, a
 * report's key) keeps a credit code in clear (docs/mapping-language.md).
 */
import { randomInt } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { maskLogShapes, maskNumberShapes } from '../../core/personal-shapes.js';
import { isValidUscc, usccCheckFor, usccSum } from '../../core/uscc.js';
import { lineLogger } from '../support/log-lines.js';

const ORG_CHARS = '0123456789ABCDEFGHJKLMNPQRTUWXY';
/**
 * A generated individual business's code: 92, a division of Qingdao, a registration number that
 * starts `MA` as those issued since 2015 do, its check char.
 */
function individualCode(): string {
  const org = Array.from({ length: 7 }, () => ORG_CHARS.charAt(randomInt(ORG_CHARS.length))).join('');
  const body = `92370211MA${org}`;
  return `${body}${usccCheckFor(usccSum(body))}`;
}
const masked = (code: string): string => `${code.slice(0, 4)}${'*'.repeat(10)}${code.slice(-4)}`;
const wide = (text: string): string =>
  text.replace(/[0-9A-Z]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0));

/** Kept whole by every rule: public registration data and the identifiers built on it (GB/T 36904). */
const PUBLIC = [
  'issuer 91370406L24894136J refused',
  'type 11100000000013338W032 unknown',
  'license 1.2.156.3005.2.11100000000013338W032.11220000013544541J.2430599.001.F delivered',
];

describe("an individual business's credit code in a log line", () => {
  it('is masked as an ID number is, alone, glued to letters and in full-width characters', () => {
    const code = individualCode();
    expect(isValidUscc(code)).toBe(true);
    expect(maskLogShapes(`holder ${code} refused`)).toBe(`holder ${masked(code)} refused`);
    expect(maskLogShapes(`key USCC${code}`)).toBe(`key USCC${masked(code)}`);
    expect(maskLogShapes(`key ${code}-2024`)).toBe(`key ${masked(code)}-2024`);
    expect(maskLogShapes(`holder ${wide(code)}`)).toBe(`holder ${wide(masked(code)).replace(/＊/g, '*')}`);
  });

  it("is masked in a log line's message and fields, a record key among them", () => {
    const code = individualCode();
    const { logger, lines } = lineLogger();
    logger.info({ sourceKey: code, reason: `platform refused holder ${code}` }, `delivered key ${code}`);
    expect(lines.length).toBe(1);
    expect(lines[0]).not.toContain(code);
    expect(lines[0]).toContain(`"sourceKey":"${masked(code)}"`);
    expect(lines[0]).toContain(`"msg":"delivered key ${masked(code)}"`);
  });

  it("leaves a legal entity's code, a license type code and a license identifier whole", () => {
    for (const text of PUBLIC) expect(maskLogShapes(text)).toBe(text);
  });

  it('stays in clear where a department is shown a holder by shape (a `001` holder in preview)', () => {
    const code = individualCode();
    expect(maskNumberShapes(`holder ${code}`)).toBe(`holder ${code}`);
  });
});
