/**
 * Which license paths hold personal data, and how a value at such a path is shown in a reason or
 * message. The ledger keeps quarantine reasons for years; they must never hold a full ID number
 * or a full name of a natural person.
 *
 * Personal data is a natural person's (PIPL art. 4): a legal person's name and unified social
 * credit code are public registration data (GB 32100), shown in clear. A holder is a legal person
 * when its id type is an organisation's (`001` credit code, `099` other organisation code, GB/T
 * 36903 annex A); any other or unknown id type counts as a natural person's.
 */
import { maskContact, maskId, maskName } from '../core/mask.js';
import { ORGANISATION_ID_TYPES } from './holder-id.js';

/** True when the holder id type names a legal person or other organisation. */
export function isLegalPersonIdType(idType: unknown): boolean {
  return typeof idType === 'string' && (ORGANISATION_ID_TYPES as readonly string[]).includes(idType);
}

// Face fields are free-form per license type; these name parts mark a person or a person's document.
const PERSONAL_SEGMENT =
  /(representative|legalperson|principal|operator|contact|person|owner|holder|name|idnumber|idcard|idno|residentid|sfz|id)$/i;

/** True for `holder.name`, `holder.id` and surface fields named like a person or an ID. */
export function isPersonalPath(path: string): boolean {
  if (path === 'holder.name' || path === 'holder.id' || path.startsWith('contact.')) return true;
  if (!path.startsWith('surface.')) return false;
  return path
    .slice('surface.'.length)
    .split('.')
    .some((segment) => PERSONAL_SEGMENT.test(segment.replace(/[^A-Za-z]/g, '')));
}

/**
 * `isPersonalPath` for a license whose holder id type is known: a legal person's `holder.name`
 * and `holder.id` are not personal. Surface fields naming people (a legal representative) stay personal.
 */
export function isPersonalPathFor(path: string, holderIdType: unknown): boolean {
  if ((path === 'holder.name' || path === 'holder.id') && isLegalPersonIdType(holderIdType)) return false;
  return isPersonalPath(path);
}

/** Name-like paths keep their first char; anything else keeps first and last four (`1101****002X`). */
export function maskPersonal(path: string, value: string): string {
  if (path.startsWith('contact.')) return maskContact(value);
  const last = path.split('.').pop() ?? '';
  const nameLike =
    /name|representative|person|operator|contact|owner|principal/i.test(last) && !/id/i.test(last);
  return nameLike ? maskName(value) : maskId(value);
}

const SHOWN = 64;

/**
 * A value as a reason shows it: masked when personal, cut to 64 chars otherwise (a 1 MB string
 * must not travel into the quarantine table), undefined for objects and arrays.
 */
export function showValue(path: string, value: unknown, personal = isPersonalPath(path)): string | undefined {
  let text: string;
  if (value === null) text = 'null';
  else if (typeof value === 'string') text = value;
  else if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint')
    text = String(value);
  else if (value instanceof Date) text = Number.isNaN(value.getTime()) ? 'Invalid Date' : value.toISOString();
  else if (value instanceof Uint8Array) return `<${value.length} bytes>`;
  else return undefined;
  if (personal && value !== null) text = maskPersonal(path, text);
  const chars = Array.from(text);
  return chars.length > SHOWN ? `${chars.slice(0, SHOWN - 3).join('')}... (${chars.length} chars)` : text;
}
