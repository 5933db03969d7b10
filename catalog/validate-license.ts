/**
 * Turning a license's schema errors and cross-field checks into located, masked reasons.
 */
import type { ErrorObject } from 'ajv';
import { formatDetail } from './format-detail.js';
import { isIsoDate } from './formats.js';
import { checkHolderId } from './holder-id.js';
import { IDENTIFIER_ROOT, parseIdentifier } from './identifier.js';
import type { License } from './license.js';
import { isPersonalPathFor, showValue } from './personal.js';
import { pointerToPath } from './yaml-source.js';

interface Reason {
  code: string;
  message: string;
  path?: string;
  value?: string;
}

const CODES: Record<string, string> = {
  required: 'LB_SCHEMA_REQUIRED',
  format: 'LB_SCHEMA_FORMAT',
  type: 'LB_SCHEMA_TYPE',
  enum: 'LB_SCHEMA_ENUM',
  const: 'LB_SCHEMA_CONST',
  additionalProperties: 'LB_SCHEMA_ADDITIONAL',
  minLength: 'LB_SCHEMA_LENGTH',
  maxLength: 'LB_SCHEMA_LENGTH',
  pattern: 'LB_SCHEMA_PATTERN',
  minItems: 'LB_SCHEMA_ITEMS',
  maxItems: 'LB_SCHEMA_ITEMS',
  holderIdType: 'LB_SCHEMA_HOLDER_ID',
};

function valueAt(root: unknown, path: readonly (string | number)[]): unknown {
  let node = root;
  for (const seg of path) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<string, unknown>)[String(seg)];
  }
  return node;
}

/**
 * `holder`: a legal person's name and credit code are not personal, unless its id has a resident
 * ID number's shape (catalog/personal.ts).
 */
function reason(
  code: string,
  path: string,
  message: string,
  value: unknown,
  holder?: { idType: unknown; id: unknown },
): Reason {
  const shown =
    value === undefined
      ? undefined
      : showValue(path, value, isPersonalPathFor(path, holder?.idType, holder?.id));
  return shown === undefined ? { code, path, message } : { code, path, message, value: shown };
}

/**
 * Which holder id check a face field failed (format, date, check char, with the expected char
 * masked as the id is): the id type is read from the schema at the error's schema path.
 */
function holderIdDetail(schema: unknown, e: ErrorObject, value: unknown): string {
  const generic = 'is not a valid id for the holder id type its schema names (holderIdType)';
  const idType = valueAt(schema, pointerToPath(e.schemaPath.replace(/^#/, '')));
  if (typeof idType !== 'string' || typeof value !== 'string') return generic;
  const problem = checkHolderId(idType, value);
  return problem ? `fails holderIdType ${idType}: ${problem.message}` : generic;
}

/** Ajv errors → reasons with a stable code, a dotted path and the (masked) offending value. */
export function reasonsFromAjv(license: unknown, errors: readonly ErrorObject[], schema?: unknown): Reason[] {
  return errors.map((e) => {
    const segs = pointerToPath(e.instancePath);
    const code = CODES[e.keyword] ?? 'LB_SCHEMA';
    if (e.keyword === 'required' || e.keyword === 'additionalProperties') {
      const name = String(
        e.keyword === 'required'
          ? (e.params as { missingProperty: string }).missingProperty
          : (e.params as { additionalProperty: string }).additionalProperty,
      );
      const path = [...segs, name].join('.');
      const what = e.keyword === 'required' ? 'is required' : 'is not a field of this license type';
      return { code, path, message: `license: ${path} ${what}` };
    }
    const path = segs.join('.');
    let detail = e.message ?? e.keyword;
    if (e.keyword === 'holderIdType') detail = holderIdDetail(schema, e, valueAt(license, segs));
    if (e.keyword === 'format') {
      const more = formatDetail(String((e.params as { format: unknown }).format), valueAt(license, segs));
      if (more !== undefined) detail = `${detail}: ${more}`;
    }
    if (e.keyword === 'enum')
      detail = `must be one of ${(e.params as { allowedValues: unknown[] }).allowedValues.join(', ')}`;
    return reason(code, path, `license: ${path || '(root)'} ${detail}`, valueAt(license, segs), {
      idType: valueAt(license, ['holder', 'idType']),
      id: valueAt(license, ['holder', 'id']),
    });
  });
}

/**
 * True when the identifier plainly starts with root.type.issuer. (codes without dots): then a
 * parse of it names exactly these codes, and the parse (done again for every license, after the
 * schema's format check) can be skipped.
 */
function namesItsCodes(identifier: string, typeCode: unknown, issuerCode: unknown): boolean {
  if (typeof typeCode !== 'string' || typeof issuerCode !== 'string') return false;
  if (typeCode.includes('.') || issuerCode.includes('.')) return false;
  const root = IDENTIFIER_ROOT.length;
  return (
    identifier.startsWith(`${IDENTIFIER_ROOT}.`) &&
    identifier.startsWith(typeCode, root + 1) &&
    identifier.charCodeAt(root + 1 + typeCode.length) === 46 &&
    identifier.startsWith(issuerCode, root + 2 + typeCode.length) &&
    identifier.charCodeAt(root + 2 + typeCode.length + issuerCode.length) === 46
  );
}

// JS white space, the set the `trim` transform takes off (String.prototype.trim): ASCII spaces,
// tabs and line breaks, U+3000 and no-break spaces among them.
const EDGE_SPACE = /^\s|\s$/;

/**
 * A license number, holder name or holder id with white space at an end (a CHAR(n) column read
 * under `trim: none`, a leading space typed in, U+3000 padding, which sources keep as data) would
 * be published so, and a platform matching numbers or holders would not find it. A holder id of a
 * type with a check of its own (`111`, `001`) fails that check first; a passport's (`414`) or
 * another document's (`999`, `099`) has none, and passed padded. Refused, not trimmed here:
 * trimming would change the content of licenses already stored and make each a new version
 * without the mapping saying so. A blank value is the schema's `\S` pattern's to refuse.
 */
function edgeSpaceReason(
  path: 'number' | 'holder.name' | 'holder.id',
  value: unknown,
  holder: Partial<License['holder']> | undefined,
): Reason | undefined {
  if (typeof value !== 'string' || !EDGE_SPACE.test(value) || !/\S/.test(value)) return undefined;
  const first = value.codePointAt(0) ?? 0;
  const end = /^\s/.test(value)
    ? `begins with U+${hex(first)}`
    : `ends with U+${hex(value.charCodeAt(value.length - 1))}`;
  return reason(
    'LB_SCHEMA_PATTERN',
    path,
    `license: ${path} ${end}, white space: add trim to its rule's transforms (CHAR padding, a stray space)`,
    value,
    { idType: holder?.idType, id: holder?.id },
  );
}

const hex = (code: number): string => code.toString(16).toUpperCase().padStart(4, '0');

/**
 * Checks no JSON Schema can say: holder id by type (GB 11643 / GB 32100), date order, identifier
 * parts. `today` (`YYYY-MM-DD`): the day a resident id's birth date may not be after — the day the
 * license is mapped on; absent, today in China Standard Time.
 */
export function checkLicense(license: License, today?: string): Reason[] {
  const out: Reason[] = [];
  const holder = license.holder as Partial<License['holder']> | undefined;
  if (holder && typeof holder.idType === 'string' && typeof holder.id === 'string') {
    const problem = checkHolderId(holder.idType, holder.id, today);
    if (problem)
      out.push(
        reason(problem.code, 'holder.id', `license: ${problem.message}`, holder.id, {
          idType: holder.idType,
          id: holder.id,
        }),
      );
    const idEdge = problem ? undefined : edgeSpaceReason('holder.id', holder.id, holder);
    if (idEdge) out.push(idEdge);
  }
  const numberEdge = edgeSpaceReason('number', license.number, holder);
  if (numberEdge) out.push(numberEdge);
  const nameEdge = edgeSpaceReason('holder.name', holder?.name, holder);
  if (nameEdge) out.push(nameEdge);
  const { validFrom, validTo } = license;
  if (
    typeof validFrom === 'string' &&
    typeof validTo === 'string' &&
    isIsoDate(validFrom) &&
    isIsoDate(validTo)
  ) {
    // ISO dates order as text.
    if (validTo < validFrom) {
      out.push(
        reason(
          'LB_DATE_RANGE',
          'validTo',
          `license: validTo ${validTo} is before validFrom ${validFrom}`,
          validTo,
        ),
      );
    }
  }
  const { identifier, type, issuer } = license as Partial<License>;
  if (typeof identifier === 'string' && !namesItsCodes(identifier, type?.code, issuer?.code)) {
    const parsed = parseIdentifier(identifier);
    if (parsed.ok && (parsed.typeCode !== type?.code || parsed.issuerCode !== issuer?.code)) {
      out.push({
        code: 'LB_IDENTIFIER_MISMATCH',
        path: 'identifier',
        message: 'license: identifier names another type code or issuer code than the license',
      });
    }
  }
  return out;
}
