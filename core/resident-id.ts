/**
 * The resident ID number's check char (GB 11643-1999, ISO 7064 MOD 11-2): here in core so that both
 * the catalog's holder checks (catalog/holder-id.ts) and the cutting of ID numbers out of log lines
 * (./person-in-runs.ts) use one rule.
 */

const ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2] as const;
const ID_CHECKS = '10X98765432';

/** The check char (`0`-`9` or `X`) the first 17 characters of `text` call for; they must be digits. */
export function residentIdCheckFor(text: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += (text.charCodeAt(i) - 48) * (ID_WEIGHTS[i] as number);
  return ID_CHECKS.charAt(sum % 11);
}
