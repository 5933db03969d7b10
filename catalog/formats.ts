/**
 * The ajv formats the catalog's schemas use. Registered on each of the catalog's ajv instances; a
 * catalog entry's surface schema may use them too (`format: resident-id`).
 */
import type { Ajv } from 'ajv';
import {
  checkHolderId,
  HOLDER_ID_TYPES,
  isCalendarDate,
  isValidResidentId,
  isValidUscc,
} from './holder-id.js';
import { isIdentifier } from './identifier.js';

const digit = (text: string, i: number): number => {
  const v = text.charCodeAt(i) - 48;
  return v >= 0 && v <= 9 ? v : -1;
};

/** The number in text[from, to) when every char there is a digit, else -1. */
function digits(text: string, from: number, to: number): number {
  let n = 0;
  for (let i = from; i < to; i++) {
    const v = digit(text, i);
    if (v < 0) return -1;
    n = n * 10 + v;
  }
  return n;
}

// Both run several times on every license (issue, valid-from and valid-to dates, area code):
// char codes, no regex match array.

/** ISO `YYYY-MM-DD` naming a real calendar date. */
export function isIsoDate(text: string): boolean {
  if (text.length !== 10 || text.charCodeAt(4) !== 45 || text.charCodeAt(7) !== 45) return false;
  const year = digits(text, 0, 4);
  const month = digits(text, 5, 7);
  const day = digits(text, 8, 10);
  return year >= 0 && month >= 0 && day >= 0 && isCalendarDate(year, month, day);
}

/** GB/T 2260 administrative division code: 6 digits, `000000` names no division. */
export function isDivisionCode(text: string): boolean {
  return text.length === 6 && digits(text, 0, 6) > 0;
}

export const FORMAT_NAMES = [
  'uscc',
  'resident-id',
  'division-code',
  'license-identifier',
  'iso-date',
] as const;

export function registerFormats(ajv: Ajv): Ajv {
  ajv.addFormat('uscc', { type: 'string', validate: isValidUscc });
  ajv.addFormat('resident-id', { type: 'string', validate: (s: string) => isValidResidentId(s) });
  ajv.addFormat('division-code', { type: 'string', validate: isDivisionCode });
  // Legacy (vendor variant) check chars still parse: they are a warning, not a rejection.
  ajv.addFormat('license-identifier', { type: 'string', validate: isIdentifier });
  ajv.addFormat('iso-date', { type: 'string', validate: isIsoDate });
  // `holderIdType: "111"` on a string field checks it as that GB/T 36903 holder id type would be
  // checked (111 → GB 11643, 001 → GB 32100, others non-empty): a face field holding a legal
  // representative's ID number is then held to the same rule as holder.id. Its `metaSchema` checks
  // the value on an instance made with `validateSchema: false` too (catalog-schema-checks.test.ts).
  ajv.addKeyword({
    keyword: 'holderIdType',
    type: 'string',
    schemaType: 'string',
    metaSchema: { type: 'string', enum: [...HOLDER_ID_TYPES] },
    errors: false,
    validate: (idType: string, data: string) => checkHolderId(idType, data) === null,
  });
  return ajv;
}
