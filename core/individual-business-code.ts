/**
 * An individual business's credit code (GB 32100 9 and 2: 个体工商户), check char right, in either
 * case, alone or glued to letters (`USCC92…`), names a person's business as an ID number names a
 * person: masked in a log line as an ID number is (`9237**********E10F`); maskNumberShapes
 * (./personal-shapes.ts) shows a department a `001` holder's code in clear.
 */

import { DIGITS_BEFORE, maskId } from './mask.js';
import { isValidUscc } from './uscc.js';

const INDIVIDUAL_CODE = new RegExp(`${DIGITS_BEFORE}92[0-9]{6}[0-9A-HJ-NPQRTUWXY]{10}(?![0-9])`, 'gi');

/** `text` with each individual business's credit code masked, but none a hex id holds. */
export const maskIndividualBusinessCodes = (text: string): string =>
  text.replace(INDIVIDUAL_CODE, (code: string, at: number, whole: string) =>
    isValidUscc(code.toUpperCase()) && !inHexId(code, at, whole) ? maskId(code) : code,
  );

/** Lower-case hex with a letter in it: a run only the rule's `i` flag (f4b1e344) takes. */
const LOWER_HEX = /^(?=[0-9]*[a-f])[0-9a-f]+$/;
const HEX_CHAR = /^[0-9a-f]$/;
/**
 * The shortest run of hex taken for an id: a uuid without dashes, an md5 or a trace id (32), a
 * span's or a request's (26 and more), a sha1 (40). An ObjectId's 24 are not told from a code
 * glued to two words of hex letters (`abc92…def`): masked, the safe side.
 */
const HEX_ID_LENGTH = 25;

/**
 * Whether `run`, found at `at` in `text`, lies in a run of lower-case hex as long as an id: a trace
 * id, a span's or a hash (`035da41f9249…2c31`) may hold 18 characters that read as a code in lower
 * case (92, six digits, a right check char: one run in 31 whose shape fits), and was cut, no id
 * anyone could look up. A hex letter beside the code is not enough: a word glued to it ends in one
 * as often (`uscc92…`, `abc92…def`, 2e55b3fe left those whole). A code holding a letter no hex has
 * (`92370211ma…`) is one whatever stands beside it, as is one in upper case or of digits only.
 * Reads at most {@link HEX_ID_LENGTH} characters about the code, so a line of codes stays linear.
 */
function inHexId(run: string, at: number, text: string): boolean {
  if (!LOWER_HEX.test(run)) return false;
  let length = run.length;
  for (let i = at - 1; length < HEX_ID_LENGTH && i >= 0 && HEX_CHAR.test(text.charAt(i)); i--) length++;
  const end = at + run.length;
  for (let i = end; length < HEX_ID_LENGTH && i < text.length && HEX_CHAR.test(text.charAt(i)); i++) length++;
  return length >= HEX_ID_LENGTH;
}
