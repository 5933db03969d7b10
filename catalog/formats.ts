/**
 * The ajv formats the catalog's schemas use. Registered on the catalog's one ajv instance; a
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
import { parseIdentifier } from './identifier.js';

/** ISO `YYYY-MM-DD` naming a real calendar date. */
export function isIsoDate(text: string): boolean {
  const m = /^([0-9]{4})-([0-9]{2})-([0-9]{2})$/.exec(text);
  return m !== null && isCalendarDate(Number(m[1]), Number(m[2]), Number(m[3]));
}

/** GB/T 2260 administrative division code: 6 digits, `000000` names no division. */
export function isDivisionCode(text: string): boolean {
  return /^[0-9]{6}$/.test(text) && text !== '000000';
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
  ajv.addFormat('license-identifier', { type: 'string', validate: (s: string) => parseIdentifier(s).ok });
  ajv.addFormat('iso-date', { type: 'string', validate: isIsoDate });
  // `holderIdType: "111"` on a string field checks it as that GB/T 36903 holder id type would be
  // checked (111 → GB 11643, 001 → GB 32100, others non-empty): a face field holding a legal
  // representative's ID number is then held to the same rule as holder.id.
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
