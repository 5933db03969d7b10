/**
 * An individual business's unified social credit code (GB 32100 department 9, kind 2: 个体工商户)
 * names a person's business, as an ID number names a person: text from outside cuts it to its last
 * four (core/scrub.ts, docs/troubleshooting.md) and core/legal-entity-code.ts never counts it as a
 * legal entity's. What masks numbers by shape — a log line (maskLogShapes), a source's record key
 * in a report or worklist and the CLI's words of a licbridge error (maskNumberShapes) — showed it
 * whole (`no row after key 92370211MA3098E10F`). It is masked there as an ID number is, its first
 * four and last four kept (`9237**********E10F`), so a person who holds the key still finds the row.
 * A legal entity's code, a license type code and a license identifier stay whole.
 */
import { randomInt } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ErrorCodes, LicbridgeError } from '../../core/errors.js';
import { maskLogShapes, maskNumberShapes } from '../../core/personal-shapes.js';
import { isValidUscc, usccCheckFor, usccSum } from '../../core/uscc.js';
import { printedError } from '../cli/printed-error.js';
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

describe("an individual business's credit code, masked by shape", () => {
  it('is masked as an ID number is, alone, glued to letters and in full-width characters', () => {
    const code = individualCode();
    expect(isValidUscc(code)).toBe(true);
    for (const mask of [maskNumberShapes, maskLogShapes]) {
      expect(mask(`holder ${code} refused`)).toBe(`holder ${masked(code)} refused`);
      expect(mask(`key USCC${code}`)).toBe(`key USCC${masked(code)}`);
      expect(mask(`key ${code}-2024`)).toBe(`key ${masked(code)}-2024`);
      expect(mask(`holder ${wide(code)}`)).toBe(`holder ${wide(masked(code)).replace(/＊/g, '*')}`);
    }
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

  it("is masked in what the CLI prints of a licbridge error's own words", () => {
    const code = individualCode();
    const { text } = printedError(
      new LicbridgeError(ErrorCodes.SOURCE_QUERY, `source legacy: no row after key ${code}`),
    );
    expect(text).toBe(`licbridge: source legacy: no row after key ${masked(code)} [LB_SOURCE_QUERY]\n`);
  });

  it("leaves a legal entity's code, a license type code and a license identifier whole", () => {
    for (const text of PUBLIC) {
      expect(maskNumberShapes(text)).toBe(text);
      expect(maskLogShapes(text)).toBe(text);
    }
  });
});
