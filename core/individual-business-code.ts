/**
 * An individual business's credit code (GB 32100 9 and 2: 个体工商户), check char right, in either
 * case, alone or glued to letters (`USCC92…`), names a person's business as an ID number names a
 * person: masked in a log line as an ID number is (`9237**********E10F`); maskNumberShapes
 * (./personal-shapes.ts) shows a department a `001` holder's code in clear.
 */

import { DIGITS_BEFORE, maskId } from './mask.js';
import { isValidUscc } from './uscc.js';

const INDIVIDUAL_CODE = new RegExp(`${DIGITS_BEFORE}92[0-9]{6}[0-9A-HJ-NPQRTUWXY]{10}(?![0-9])`, 'gi');

/** `text` with each individual business's credit code masked, but none a longer hex id holds. */
export const maskIndividualBusinessCodes = (text: string): string =>
  text.replace(INDIVIDUAL_CODE, (code: string, at: number, whole: string) =>
    isValidUscc(code.toUpperCase()) && !inLongerHexRun(code, at, whole) ? maskId(code) : code,
  );

/** Lower-case hex with a letter in it: a run only the rule's `i` flag (f4b1e344) takes. */
const LOWER_HEX = /^(?=[0-9]*[a-f])[0-9a-f]+$/;
const HEX_LETTER = /^[a-f]$/;

/**
 * Whether `run`, found at `at` in `text`, is part of a longer run of lower-case hex: a trace id, a
 * span's or a hash (`035da41f9249…2c31`, 26 to 32 characters) may hold 18 characters that read as
 * a code in lower case (92, six digits, a right check char: one run in 31 whose shape fits), and
 * was cut, no id anyone could look up. The code's pattern finds no digit beside it, so a hex letter
 * beside a run all of hex says it is part of an id; a code holding a letter no hex has
 * (`92370211ma…`) is one whatever stands beside it, as is one in upper case or of digits only
 * (`USCC92…`, `uscc92…`), masked so before f4b1e344.
 */
function inLongerHexRun(run: string, at: number, text: string): boolean {
  if (!LOWER_HEX.test(run)) return false;
  return HEX_LETTER.test(text.charAt(at - 1)) || HEX_LETTER.test(text.charAt(at + run.length));
}
