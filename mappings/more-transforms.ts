/**
 * Text transforms beyond the basics: fullWidth, join, idNumber (resident ID numbers in their
 * legacy forms) and default.
 */
import { normaliseResidentId } from '../catalog/holder-id.js';
import { fail, ok, textStep, toHalfWidth, typeName } from './step.js';
import type { TransformDefinition } from './transforms.js';
import type { MapValue } from './types.js';

/** Half-width ASCII (U+0021–U+007E) and the space to their full-width forms (U+FF01–U+FF5E, U+3000). */
export function toFullWidth(text: string): string {
  return text.replace(/[\u0021-\u007E ]/g, (ch) =>
    ch === ' ' ? '\u3000' : String.fromCharCode(ch.charCodeAt(0) + 0xfee0),
  );
}

export const fullWidth: TransformDefinition = {
  argument: 'none',
  description: 'half-width ASCII and space to full-width (the form some license faces print)',
  compile: () => textStep((s) => ok(toFullWidth(s))),
};

export const join: TransformDefinition = {
  argument: 'required',
  description: 'join a list into text with a separator; empty items are dropped; text passes unchanged',
  compile(arg) {
    if (typeof arg !== 'string') return 'expected a separator text, e.g. "；"';
    return (value) => {
      if (value === null || typeof value === 'string') return ok(value);
      if (!Array.isArray(value)) return fail('LB_MAP_TYPE', `join expects a list, got ${typeName(value)}`);
      const items: string[] = [];
      for (const item of value) {
        if (item === null || item === '') continue;
        if (typeof item !== 'string' && typeof item !== 'number') {
          return fail('LB_MAP_TYPE', `join expects text items, got ${typeName(item)}`);
        }
        items.push(String(item));
      }
      return ok(items.join(arg));
    };
  },
};

/**
 * GB 11643 numbers as legacy data holds them: full-width digits, a lowercase `x`, and 15-digit
 * pre-1999 numbers (upgraded with the century 19 and a check char). It does not validate: the
 * catalog checks the result by the holder id type, so a wrong number is still quarantined.
 */
export const idNumber: TransformDefinition = {
  argument: 'none',
  description: 'resident ID normalise: trim, half-width, x → X, 15 digits → 18 (no validation)',
  compile: () => textStep((s) => ok(normaliseResidentId(toHalfWidth(s)))),
};

const isPlain = (v: unknown): v is MapValue =>
  v === null || typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean';

export const defaultStep: TransformDefinition = {
  argument: 'required',
  description: 'replace an empty value (null, empty text, empty list) with a plain value, mid-chain',
  compile(arg) {
    if (!isPlain(arg)) return 'expected a plain value (text, number, true/false or null)';
    return (value) =>
      value === null || value === '' || (Array.isArray(value) && value.length === 0) ? ok(arg) : ok(value);
  },
};
