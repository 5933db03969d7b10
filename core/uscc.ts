/**
 * The unified social credit code's check (GB 32100-2015): 18 characters of a 31-symbol alphabet,
 * the last a check character over the first 17. Here in core so that both the catalog's holder
 * checks (catalog/holder-id.ts) and the scrubbing of text from outside (./hex-identifier.ts) use
 * one rule.
 */

// GB 32100: 31 symbols, no I O S V Z (they read like 1 0 5 U 2).
const USCC_ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const USCC_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28] as const;

// Char code → GB 32100 value, -1 outside the alphabet: a table instead of indexOf per char (the
// issuer and every organisation holder are checked on every row).
const USCC_VALUES = new Int8Array(128).fill(-1);
for (let i = 0; i < USCC_ALPHABET.length; i++) USCC_VALUES[USCC_ALPHABET.charCodeAt(i)] = i;

const usccValue = (code: number): number => (code < 128 ? (USCC_VALUES[code] as number) : -1);

/** Σ value·weight over the first 17 chars, or -1 - i when char i is outside the alphabet. */
export function usccSum(text: string): number {
  let sum = 0;
  for (let i = 0; i < 17; i++) {
    const v = usccValue(text.charCodeAt(i));
    if (v < 0) return -1 - i;
    sum += v * (USCC_WEIGHTS[i] as number);
  }
  return sum;
}

/** The check character for a sum of the first 17 chars' weighted values. */
export const usccCheckFor = (sum: number): string => {
  const c = 31 - (sum % 31);
  return USCC_ALPHABET.charAt(c === 31 ? 0 : c);
};

/** Whether `code` is 18 characters of the alphabet (upper case) with a right check character. */
export function isValidUscc(code: string): boolean {
  if (typeof code !== 'string' || code.length !== 18) return false;
  const sum = usccSum(code);
  return sum >= 0 && usccValue(code.charCodeAt(17)) >= 0 && usccCheckFor(sum) === code.charAt(17);
}
