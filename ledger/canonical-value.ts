/**
 * RFC 8785 texts of values (catalog/canonical.ts jcs), kept for the frozen flat objects a
 * pipeline builds every license with: its license type and issuer (mappings/license-mapper.ts),
 * the same objects for all its licenses, whose texts each version's payload and its context split
 * wrote anew (~1 µs a version). Frozen, with only string, number, boolean and null members held as
 * values (no getter, no toJSON), such an object's text cannot change, so a kept one cannot go stale.
 */
import { jcs } from '../catalog/canonical.js';

const frozenTexts = new WeakMap<object, string>();

/** The canonical text of `value`, kept by object for a frozen flat one. */
export function canonicalValue(value: unknown): string {
  if (value === null || typeof value !== 'object' || !Object.isFrozen(value)) return jcs(value);
  let text = frozenTexts.get(value);
  if (text === undefined) {
    text = jcs(value);
    if (flatData(value)) frozenTexts.set(value, text);
  }
  return text;
}

function flatData(value: object): boolean {
  if (Object.getOwnPropertySymbols(value).length > 0) return false;
  for (const d of Object.values(Object.getOwnPropertyDescriptors(value))) {
    if (!('value' in d)) return false;
    const v: unknown = d.value;
    if (v !== null && typeof v !== 'string' && typeof v !== 'number' && typeof v !== 'boolean') return false;
  }
  return Object.getPrototypeOf(value) === Object.prototype || Object.getPrototypeOf(value) === null;
}
