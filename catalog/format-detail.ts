/**
 * What a catalog format's standard finds wrong with a value, for the reason beside ajv's
 * `must match format "…"`: which of a 60-char identifier's parts or which credit code char is wrong.
 */
import { checkHolderId, usccCheckChar } from './holder-id.js';
import { parseIdentifier } from './identifier.js';

// GB 32100: 31 symbols, no I O S V Z.
const USCC_SHAPE = /^[0-9A-HJ-NPQRTUWXY]{18}$/;

/** Why a credit code fails GB 32100, without repeating it (a face field may hold any text). */
function usccDetail(code: string): string {
  if (!USCC_SHAPE.test(code)) return 'expected 18 characters 0-9 and A-Z without I, O, S, V, Z (GB 32100)';
  return `the first 17 characters call for the check character ${usccCheckChar(code.slice(0, 17))} (GB 32100)`;
}

/** The detail for a value failing `format`, or undefined when there is nothing to add. */
export function formatDetail(format: string, value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  switch (format) {
    case 'license-identifier': {
      const parsed = parseIdentifier(value);
      return parsed.ok ? undefined : parsed.reason;
    }
    case 'uscc':
      return usccDetail(value);
    case 'resident-id':
      // Masked as the id is (checkHolderId's messages).
      return checkHolderId('111', value)?.message;
    case 'division-code':
      return 'expected 6 digits, not 000000 (GB/T 2260)';
    case 'iso-date':
      return 'expected a calendar day YYYY-MM-DD';
    default:
      return undefined;
  }
}
