/**
 * Canonical `License` → the platform record (pinyin initials as production schemas name them,
 * GB/T 36903 metadata), in the code lists the target speaks. Every target that delivers licenses
 * writes this record: REST/JSON and SOAP/XML send it, the front database stores it.
 */

import { buildIdentifier, parseIdentifier } from '../../../catalog/identifier.js';
import type { License, LicenseOperation } from '../../../catalog/license.js';
import { type CodeLists, NATIONAL_CODES } from './code-lists.js';

/**
 * The identifier a record names as its predecessor: the license it continues (renewal, change,
 * transfer-in), else — for a later version whose code needs one (09 in the push list) — the
 * version it replaces. `undefined` when the record names none.
 */
export function predecessorOf(
  license: License,
  version: number,
  opCode: string,
  codes: CodeLists,
): string | undefined {
  if (license.previousIdentifier) return license.previousIdentifier;
  if (!codes.predecessorCodes.includes(opCode)) return undefined;
  if (version <= 1)
    throw new PayloadError('previousIdentifier', `operation code ${opCode} needs the license it continues`);
  const parsed = parseIdentifier(license.identifier);
  if (!parsed.ok) throw new PayloadError('identifier', 'not a GB/T 36904 identifier');
  return buildIdentifier({
    typeCode: parsed.typeCode,
    issuerCode: parsed.issuerCode,
    serial: parsed.serial,
    version: version - 1,
  });
}

/** A license field the platform cannot take as it is; names the field, never the value. */
export class PayloadError extends Error {
  constructor(
    readonly field: string,
    detail: string,
  ) {
    super(`${field}: ${detail}`);
    this.name = 'PayloadError';
  }
}

/** ISO `YYYY-MM-DD` → `YYYYMMDD`, the platform's date form. */
export function toPlatformDate(value: string, field: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!m) throw new PayloadError(field, 'expected an ISO date YYYY-MM-DD');
  return `${m[1]}${m[2]}${m[3]}`;
}

export interface PlatformLicense {
  zzbs: string;
  zzbh: string;
  zzlxmc: string;
  zzlxdm: string;
  zzbfjg: string;
  zzbfjgdm: string;
  zzbfrq: string;
  yxqqsrq: string;
  /** Empty for long-term (长期) licenses. */
  yxqjzrq: string;
  xzqhdm: string;
  czzt: string;
  czztdm: string;
  czztdmlx: string;
  zzzt: string;
  czlx: string;
  zmxx: Record<string, unknown>;
  /** 原证照标识: the identifier of the license (or version) this record continues; only when it names one. */
  yzzbs?: string;
}

/** The field map, one line per platform field, so a reviewer can check it against the platform's spec. */
const FIELD_MAP: ReadonlyArray<
  readonly [
    keyof PlatformLicense,
    (l: License, op: LicenseOperation, codes: CodeLists) => PlatformLicense[keyof PlatformLicense],
  ]
> = [
  ['zzbs', (l) => l.identifier],
  ['zzbh', (l) => l.number],
  ['zzlxmc', (l) => l.type.name],
  ['zzlxdm', (l) => l.type.code],
  ['zzbfjg', (l) => l.issuer.name],
  ['zzbfjgdm', (l) => l.issuer.code],
  ['zzbfrq', (l) => toPlatformDate(l.issueDate, 'issueDate')],
  ['yxqqsrq', (l) => toPlatformDate(l.validFrom, 'validFrom')],
  ['yxqjzrq', (l) => (l.validTo === null ? '' : toPlatformDate(l.validTo, 'validTo'))],
  ['xzqhdm', (l) => l.areaCode],
  ['czzt', (l) => l.holder.name],
  ['czztdm', (l) => l.holder.id],
  // Own keys only, as code() reads its lists: an unmapped type goes as it is, and a license adopted
  // from a platform's legacy data may name `constructor` or `__proto__` there (an inherited member,
  // which JSON left out or sent as `{}`).
  [
    'czztdmlx',
    (l, _op, c) =>
      (Object.hasOwn(c.holderIdType, l.holder.idType) ? c.holderIdType[l.holder.idType] : undefined) ??
      l.holder.idType,
  ],
  ['zzzt', (l, _op, c) => code(c.status, l.status, 'status')],
  ['czlx', (_l, op, c) => code(c.operation, op, 'operation')],
  ['zmxx', (l) => l.surface],
];

function code(list: Readonly<Record<string, string>>, value: string, field: string): string {
  const c = Object.hasOwn(list, value) ? list[value] : undefined;
  if (c === undefined) throw new PayloadError(field, 'not in the platform code list');
  return c;
}

/** Throws `PayloadError` when a field cannot be expressed in the platform's form. */
export function toPlatformLicense(
  license: License,
  operation: LicenseOperation,
  codes: CodeLists = NATIONAL_CODES,
  version?: number,
): PlatformLicense {
  const out: Record<string, unknown> = {};
  for (const [field, get] of FIELD_MAP) out[field] = get(license, operation, codes);
  const previous = predecessorOf(license, version ?? 1, String(out.czlx), codes);
  if (previous !== undefined) out.yzzbs = previous;
  return out as unknown as PlatformLicense;
}
