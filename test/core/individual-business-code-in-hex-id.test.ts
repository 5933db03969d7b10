/**
 * A lower-case hex id in a log line (a trace id, a span's, a hash: 26 to 32 characters) may hold 18
 * characters that read as an individual business's credit code in lower case, 92, six digits and a
 * right check char (one run in 31 whose shape fits): since f4b1e344 took lower case, such an id was
 * cut (`035da41f9249**********2c31`), no id anyone could look up. A code is no part of a longer run
 * of hex; one standing alone, or holding letters no hex has, is masked as before.
 */
import { randomInt } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { maskLogShapes } from '../../core/personal-shapes.js';
import { usccCheckFor, usccSum } from '../../core/uscc.js';
import { lineLogger } from '../support/log-lines.js';

const HEX = '0123456789abcdef';
const hex = (n: number): string => Array.from({ length: n }, () => HEX.charAt(randomInt(16))).join('');
/** Hex letters only: no run of digits beside the code that another shape (a mobile number) takes. */
const letters = (n: number): string =>
  Array.from({ length: n }, () => 'abcdef'.charAt(randomInt(6))).join('');

/**
 * 18 hex characters a credit code's rule takes: 92, six digits, a letter and eight more, and a
 * right check char. A letter, as only the rule's lower case takes such a run: one of digits only
 * was masked before it too.
 */
function codeOfHex(): string {
  for (;;) {
    const body = `92${String(randomInt(1_000_000)).padStart(6, '0')}${letters(1)}${hex(8)}`;
    const check = usccCheckFor(usccSum(body.toUpperCase()));
    if (/[0-9A-F]/.test(check)) return `${body}${check.toLowerCase()}`;
  }
}

/** A lower-case hex id of 26 to 32 characters holding such a run: at its start, inside or at its end. */
function hexIdHolding(code: string, where: number): string {
  const rest = 26 + randomInt(7) - code.length;
  if (where === 0) return `${code}${letters(rest)}`;
  if (where === 1) return `${letters(4)}${code}${letters(rest - 4)}`;
  return `${letters(rest)}${code}`;
}

describe('a lower-case hex id holding what reads as a credit code', () => {
  it('stays whole in a log line', () => {
    for (let i = 0; i < 12; i++) {
      const id = hexIdHolding(codeOfHex(), i % 3);
      expect(maskLogShapes(`trace ${id} done`)).toBe(`trace ${id} done`);
      const { logger, lines } = lineLogger();
      logger.info({ traceId: id }, `span ${id}`);
      expect(JSON.parse(lines[0] as string)).toMatchObject({ traceId: id, msg: `span ${id}` });
    }
  });

  it('leaves a lower-case code standing alone, or holding letters no hex has, masked', () => {
    const code = codeOfHex();
    expect(maskLogShapes(`holder ${code} refused`)).toBe(
      `holder ${code.slice(0, 4)}**********${code.slice(-4)} refused`,
    );
    let real = '';
    while (!/^[0-9a-z]{18}$/.test(real)) {
      const body = `92370211MA${String(randomInt(10_000_000)).padStart(7, '0')}`;
      real = `${body}${usccCheckFor(usccSum(body))}`.toLowerCase();
    }
    for (const text of [`key ${real}`, `key uscc${real}`, `key ${real}abc`])
      expect(maskLogShapes(text)).not.toContain(real);
    // Of digits only, glued to letters, as before lower case was taken.
    let digits = '';
    while (!/^[0-9]{18}$/.test(digits)) {
      const body = `92370211${String(randomInt(1_000_000_000)).padStart(9, '0')}`;
      digits = `${body}${usccCheckFor(usccSum(body))}`;
    }
    for (const text of [`key uscc${digits}`, `key USCC${digits}`, `id abc${digits}def`])
      expect(maskLogShapes(text)).not.toContain(digits);
  });
});
