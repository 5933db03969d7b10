/**
 * Per-item validation the simulated platform applies to each uploaded license. Reasons name the
 * field and the rule, never the value: the values are personal data.
 */
import { isIdentifier } from '../../../catalog/identifier.js';
import { HOLDER_ID_TYPES as HOLDER_ID_CODES } from '../../../core/code-lists.js';

/** Operation codes of the national collection's list (STANDARDS.md §3). */
const OPERATION_CODES = new Set(['01', '02', '03', '04', '05', '06', '07', '08', '09', '10']);

/**
 * Operation codes whose record must name the license it continues (`yzzbs`): renewal (02) and
 * move-in (08) in every list this platform takes. A change (09) names one when the sender's list
 * says so; a `yzzbs` that is present must always be a real identifier other than the record's own.
 */
const PREDECESSOR_CODES: ReadonlySet<string> = new Set(['02', '08']);

/** Holder id type codes of GB/T 36903 annex A (the platform knows the same standard list). */
const HOLDER_ID_TYPES: ReadonlySet<string> = new Set(HOLDER_ID_CODES);

/** Platform fields every license must carry, with the canonical name they come from. */
const REQUIRED_FIELDS: ReadonlyArray<readonly [field: string, meaning: string]> = [
  ['zzbs', 'identifier'],
  ['zzbh', 'number'],
  ['czztdm', 'holder id'],
];

export interface ParsedKey {
  licenseId: string;
  version: number;
  target: string;
}

/** `<licenseId>:<version>:<target>`; parsed from the right so a license id may itself hold colons. */
export function parseKey(key: string): ParsedKey | undefined {
  const parts = key.split(':');
  if (parts.length < 3) return undefined;
  const target = parts.pop() ?? '';
  const versionText = parts.pop() ?? '';
  const licenseId = parts.join(':');
  if (!licenseId || !target || !/^\d{1,9}$/.test(versionText)) return undefined;
  return { licenseId, version: Number(versionText), target };
}

export interface CheckedItem {
  key: string;
  parsed?: ParsedKey;
  operation: string;
  license: Record<string, unknown>;
  signature: Record<string, unknown>;
  errors: string[];
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function isFilled(v: unknown): boolean {
  return typeof v === 'string' ? v.trim() !== '' : v !== undefined && v !== null;
}

/** Validates one element of `items`; an item with errors is answered `rejected` with them. */
export function checkItem(raw: unknown, index: number): CheckedItem {
  if (!isObject(raw)) {
    return {
      key: `#${index}`,
      operation: '',
      license: {},
      signature: {},
      errors: ['item: expected an object'],
    };
  }
  const errors: string[] = [];
  const key = typeof raw.key === 'string' ? raw.key : '';
  const parsed = key ? parseKey(key) : undefined;
  if (!key) errors.push('key: required');
  else if (!parsed) errors.push('key: expected <licenseId>:<version>:<target>');

  const operation = typeof raw.operation === 'string' ? raw.operation : '';
  if (!OPERATION_CODES.has(operation)) errors.push('operation: expected a code from 01 to 10');

  const license = isObject(raw.license) ? raw.license : {};
  if (!isObject(raw.license)) errors.push('license: expected an object');
  else {
    for (const [field, meaning] of REQUIRED_FIELDS) {
      if (!isFilled(license[field])) errors.push(`${field}: required (${meaning})`);
    }
    if (license.zmxx !== undefined && !isObject(license.zmxx)) errors.push('zmxx: expected an object');
    if (license.yzzbs !== undefined && license.yzzbs !== '') {
      if (typeof license.yzzbs !== 'string' || !isIdentifier(license.yzzbs)) {
        errors.push('yzzbs: not a GB/T 36904 license identifier (previous identifier)');
      } else if (license.yzzbs === license.zzbs) {
        errors.push('yzzbs: names the record itself, not its predecessor');
      }
    } else if (PREDECESSOR_CODES.has(operation)) {
      errors.push(`yzzbs: required for operation ${operation} (previous identifier)`);
    }
    // The platform takes holder id types from GB/T 36903 annex A only (STANDARDS.md §2).
    if (license.czztdmlx !== undefined && !HOLDER_ID_TYPES.has(String(license.czztdmlx))) {
      errors.push('czztdmlx: not a GB/T 36903 holder id type code');
    }
  }

  // The platform stores signed licenses only.
  const signature = isObject(raw.signature) ? raw.signature : {};
  if (!isFilled(signature.value)) errors.push('signature.value: required');

  return { key: key || `#${index}`, ...(parsed ? { parsed } : {}), operation, license, signature, errors };
}
