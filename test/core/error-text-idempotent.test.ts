/**
 * An error's text is made safe more than once on its way: errorLine writes a run's record and a log
 * line, and a run given up stores that line again through failureMessage (told safe); a job's failed
 * reason, told before, is shown by `status` and the CLI. errorLine once cut the digits of an ID
 * number written in groups to a last four (`110105 ****1231 002X`), which left the stored line no
 * shape failureMessage could find, and the area code and the sequence stayed; then it left such
 * digits whole for the second pass to mask. Both passes are one function now (safeErrorText,
 * core/error-text.ts), which masks them the first time, and what it returns it returns again: a
 * second pass changes nothing, so it neither uncovers nor leaves what the first hid.
 */
import { describe, expect, it } from 'vitest';
import { type ErrorTextOptions, safeErrorText } from '../../core/error-text.js';
import {
  ErrorCodes,
  errorLine,
  failureMessage,
  isLicbridgeError,
  LicbridgeError,
} from '../../core/errors.js';
import { driverErrorCases, loginErrorCases } from '../support/driver-error-cases.js';

const OPTIONS: ErrorTextOptions[] = [
  {},
  { bounded: false },
  { hideLogins: true },
  { numbers: 'shapes' },
  { numbers: 'shapes', bounded: false },
];

// Values that text from outside holds, masked each by one rule or both, and the words around them.
const PIECES = [
  '110105 19491231 002X',
  '110105-19491231-002X',
  '11010519491231002X',
  '110105491231002',
  '138 0013 8000',
  '138-0013-8000',
  '+8613800138000',
  '(+86) 138 0013 8000',
  '+4915112345678',
  'E12345678',
  'EA1234567',
  'D1234567',
  '92370211MA3098E10F',
  '6222021234567890123',
  '12345678',
  '１１０１０５１９４９１２３１００２Ｘ',
  'postgres://lb:secret@db:5432/x',
  'Password=hunter22;',
  "'张三'",
  "'T_20240101_1234567'",
  '`王小明`',
  "user 'lb_reader'@'10.0.0.5'",
  'key',
];
const JOINS = [' ', '', '-', '/', ':'];

describe('masking masked text changes nothing', () => {
  it('any two values side by side, by each set of options', () => {
    // Every text whose second pass changed it, named at once: an expect for each of the 13,225
    // texts and two passes was a sixth of this file's CPU.
    const changed: string[] = [];
    for (const options of OPTIONS)
      for (const a of PIECES)
        for (const b of PIECES)
          for (const join of JOINS) {
            const once = safeErrorText(`row ${a}${join}${b} refused`, options);
            const twice = safeErrorText(once, options);
            if (twice !== once)
              changed.push(`${a}${join}${b} ${JSON.stringify(options)}: ${once} -> ${twice}`);
            // What the first pass kept of backticks it keeps again, told safe.
            const told = { ...options, backticks: false };
            const kept = safeErrorText(`row ${a}${join}${b} refused`, told);
            const keptAgain = safeErrorText(kept, told);
            if (keptAgain !== kept)
              changed.push(`${a}${join}${b} ${JSON.stringify(told)}: ${kept} -> ${keptAgain}`);
          }
    expect(changed).toEqual([]);
  });

  it('a quote a masked number opened is hidden the first time', () => {
    // An apostrophe after a digit opens a value before a letter (core/quoted-values.ts): the name's
    // quotes pair, and the words after them stay.
    const once = safeErrorText("no row after key D1234567'张三' in T_XKZ");
    expect(once).toBe("no row after key ********'***' in T_XKZ");
    expect(safeErrorText(once)).toBe(once);
  });

  it("a driver's error, shown and then shown again told safe", () => {
    for (const c of [...driverErrorCases(), ...loginErrorCases()]) {
      for (const options of [{}, { hideLogins: true }, { bounded: false }]) {
        const once = failureMessage(c.error, options).message;
        expect(failureMessage(once, { ...options, toldSafe: true }).message, c.name).toBe(once);
      }
    }
  });

  it('a log line stored for a run given up is the line, its grouped numbers masked once', () => {
    for (const c of driverErrorCases()) {
      const line = errorLine(c.error);
      expect(failureMessage(line, { toldSafe: true, bounded: false }).message, c.name).toBe(line);
    }
    const e = new LicbridgeError(
      ErrorCodes.SOURCE_QUERY,
      'source legacy: holder 110105 19491231 002X, contact 138-0013-8000: no row',
    );
    const line = errorLine(e);
    expect(isLicbridgeError(e)).toBe(true);
    const stored = failureMessage(line, { toldSafe: true }).message;
    expect(stored).toBe(line);
    for (const leak of ['110105', '19491231', '1231 ', '0013']) expect(stored).not.toContain(leak);
  });
});
