/**
 * A credit code-shaped run (18 letters and digits) in a log line is read as an error's text reads
 * it: shown whole only when it is a legal entity's code (core/legal-entity-code.ts), cut to its last
 * four when it may hold a person's number. A log line masked numbers by their shape only, and a card
 * number, a mobile number or an ID number's first 16 digits inside such a run went out whole.
 */
import { describe, expect, it } from 'vitest';
import { lineLogger } from '../support/log-lines.js';

// Made up: a Visa card number after a 3, a mobile number after a 9, an ID number's first 16 digits
// after an N; each run passes GB 32100's check char.
const CARD_RUN = '34128944187508401G';
const MOBILE_RUN = '9164678345478054XW';
const ID_RUN = 'N11101051952191590';
// A unit's code every part of which reads right, one with a Z (no char of GB 32100's alphabet, so
// no code's shape), and a license identifier whose holder is a unit with such a code.
const UNIT = '91370211MA3C4XYR2C';
const UNIT_WITH_Z = '91370211MA3C4XYZ0B';
const LICENSE = '1.2.156.3005.2.11370200MB12345674001.11370211MB1234562J.B000000001.001.F';
// Its holder's organisation code with a wrong check char (MB123456 checks 2, not 7): it may be a
// mistyped person's number, and is cut as an error's text cuts it.
const LICENSE_HOLDER_MISTYPED = '1.2.156.3005.2.11370200MB12345674001.11370211MB12345672.B000000001.001.F';

interface Line {
  msg?: string;
  reason?: string;
  detail?: { text?: string };
}
const parsed = (lines: string[]): Line[] => lines.map((l) => JSON.parse(l) as Line);

describe('a credit code-shaped run in a log line', () => {
  it('is cut to its last four when it may hold a person number', () => {
    const { lines, logger } = lineLogger('trace');
    for (const run of [CARD_RUN, MOBILE_RUN, ID_RUN]) {
      logger.warn(`平台返回：${run} 校验失败`);
      logger.warn({ reason: `平台返回：${run} 校验失败` }, 'refused');
      logger.warn({ detail: { text: `unit=${run};` } }, 'refused');
    }
    expect(lines).toHaveLength(9);
    for (const line of lines)
      for (const run of [CARD_RUN, MOBILE_RUN, ID_RUN]) expect(line).not.toContain(run);
    const all = parsed(lines);
    expect(all[0]?.msg).toBe('平台返回：**************401G 校验失败');
    expect(all[1]?.reason).toBe('平台返回：**************401G 校验失败');
    expect(all[2]?.detail?.text).toBe('unit=**************401G;');
    expect(all[3]?.msg).toBe('平台返回：**************54XW 校验失败');
    expect(all[6]?.msg).toBe('平台返回：**************1590 校验失败');
  });

  it("keeps a legal entity's code and a license identifier whole", () => {
    const { lines, logger } = lineLogger('trace');
    logger.info(`平台返回：${UNIT} 校验失败，${UNIT_WITH_Z}`);
    logger.info({ issuer: UNIT, license: LICENSE }, `license ${LICENSE} delivered`);
    const [first, second] = parsed(lines) as [Line, Line & { issuer?: string; license?: string }];
    expect(first.msg).toBe(`平台返回：${UNIT} 校验失败，${UNIT_WITH_Z}`);
    expect(second.msg).toBe(`license ${LICENSE} delivered`);
    expect(second.issuer).toBe(UNIT);
    expect(second.license).toBe(LICENSE);
  });

  it("cuts a license identifier's holder code that may be a person's number", () => {
    const { lines, logger } = lineLogger('trace');
    logger.info(`license ${LICENSE_HOLDER_MISTYPED} delivered`);
    expect(parsed(lines)[0]?.msg).toBe(
      'license 1.2.156.3005.2.11370200MB12345674001.**************5672.B000000001.001.F delivered',
    );
  });
});
