/**
 * Text transforms beyond the basics: fullWidth, join, idNumber (resident ID numbers in their
 * legacy forms), nfc and default.
 */
import { holderIdTypeOfShape, joinedResidentId, normaliseResidentId } from '../catalog/holder-id.js';
import { fail, numberText, ok, textStep, toHalfWidth, typeName } from './step.js';
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
        items.push(typeof item === 'number' ? numberText(item) : item);
      }
      return ok(items.join(arg));
    };
  },
};

/**
 * GB 11643 numbers as legacy data holds them: full-width digits, a lowercase `x`, written in groups
 * (`110105 19491231 002X`, spaces or dashes between them), and 15-digit
 * pre-1999 numbers (upgraded with the century 19 and a check char). It does not validate: the
 * catalog checks the result by the holder id type, so a wrong number is still quarantined.
 * 15 digits whose digits 7-12 are no birth date are no such number (a business registration
 * number, GS 15-2006) and stay as written, as `holderIdType` reads them: upgraded, they became an
 * 18-digit number nobody was given, which the catalog does not check under id type 099.
 */
export const idNumber: TransformDefinition = {
  argument: 'none',
  description:
    'resident ID normalise: trim, half-width, groups joined, x → X, 15 digits with a birth date → 18 (no validation)',
  compile: () =>
    textStep((s) => {
      // Written in its groups (`110105 19491231 002X`), as forms print it: joined first.
      const id = joinedResidentId(toHalfWidth(s).trim());
      if (/^[0-9]{15}$/.test(id) && holderIdTypeOfShape(id) !== '111') return ok(id);
      return ok(normaliseResidentId(id));
    }),
};

// CJK compatibility ideographs (U+F900–U+FAFF, U+2F800–U+2FA1F): NFC replaces most of them by
// their unified ideograph (U+F92C 郎 by U+90CE), a different code point. GBK and GB18030 decoders
// give some of them (GBK FD9C–FE4F), and a name stored with one must reach the platforms as the
// unit's database holds it, so they are kept as written.
const COMPATIBILITY_IDEOGRAPHS = /([\uF900-\uFAFF]|\uD87E[\uDC00-\uDE1F])/;

/**
 * Unicode NFC, CJK compatibility ideographs kept: a letter and its combining marks become the
 * one composed character (`e` + U+0301 → `é`), so text exported in either form reads the same
 * and hashes the same. No composition crosses an ideograph, so the parts between them are
 * normalised alone.
 */
export function toNfc(text: string): string {
  // ASCII and most Chinese text is NFC already: checked without splitting.
  if (!COMPATIBILITY_IDEOGRAPHS.test(text)) return text.normalize('NFC');
  return text
    .split(COMPATIBILITY_IDEOGRAPHS)
    .map((part, i) => (i % 2 === 1 ? part : part.normalize('NFC')))
    .join('');
}

export const nfc: TransformDefinition = {
  argument: 'none',
  description:
    'Unicode NFC: a letter and its combining marks as one character (e + U+0301 → é); CJK compatibility ideographs kept',
  compile: () => textStep((s) => ok(toNfc(s))),
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
