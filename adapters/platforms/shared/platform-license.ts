/**
 * The province REST/JSON wire format: canonical `License` → platform fields (pinyin initials as
 * production schemas name them, GB/T 36903 metadata) and the batch request/response shapes.
 */

import { buildIdentifier, parseIdentifier } from '../../../catalog/identifier.js';
import type { License, LicenseOperation, LicenseStatus } from '../../../catalog/license.js';
import type { Schema } from '../../../config/schema/builders.js';
import { delivery } from '../../../config/schema/target-parts.js';
import { withSchemaDefaults } from '../../../config/schema-defaults.js';
import type { DeliveryItem } from '../target.js';

/** Status code list of the national collection (STANDARDS.md §3). */
export const STATUS_CODES: Readonly<Record<LicenseStatus, string>> = {
  valid: '01',
  suspended: '02',
  withdrawn: '03',
  cancelled: '04',
  expired: '05',
  'moved-out': '06',
  revoked: '07',
  other: '99',
};

/**
 * Operation code list of the national collection (STANDARDS.md §3). That list has no "revoke"
 * operation, so a revocation is sent as `07` (other); the platform learns it is a revocation from
 * the status `zzzt = 07` (revoked) carried in the same record.
 */
export const OPERATION_CODES: Readonly<Record<LicenseOperation, string>> = {
  issue: '01',
  update: '09',
  suspend: '03',
  resume: '06',
  revoke: '07',
  cancel: '05',
  expire: '04',
  renew: '02',
  change: '09',
  transfer: '08',
  // No move-out operation in this list: sent as other, the status 06 (moved out) says what it is.
  'transfer-out': '07',
};

/**
 * The common national push coding (`codes.list: national-push`): 01 new, 02 renewal, 03 suspend,
 * 04 expired, 05 cancel / revoke / transfer-out, 06 resume after suspension, 08 transfer-in,
 * 09 change. It has no plain "update": a content change is sent as a change (09), naming the
 * version it replaces. Renewal, change and transfer-in must carry the predecessor (`yzzbs`).
 */
export const PUSH_OPERATION_CODES: Readonly<Record<LicenseOperation, string>> = {
  issue: '01',
  renew: '02',
  suspend: '03',
  expire: '04',
  cancel: '05',
  revoke: '05',
  resume: '06',
  transfer: '08',
  'transfer-out': '05',
  change: '09',
  update: '09',
};

/** The code lists one platform speaks; `holderIdType` maps GB/T 36903 codes to the platform's own. */
export interface CodeLists {
  status: Readonly<Record<string, string>>;
  operation: Readonly<Record<string, string>>;
  holderIdType: Readonly<Record<string, string>>;
  /** Operation codes whose record must name its predecessor (`yzzbs`). */
  predecessorCodes: readonly string[];
}

export const NATIONAL_CODES: CodeLists = {
  status: STATUS_CODES,
  operation: OPERATION_CODES,
  // Platforms that follow GB/T 36903 annex A take the codes as they are.
  holderIdType: {},
  // 09 is also a plain update in this list: only renewal and move-in must name a predecessor.
  predecessorCodes: ['02', '08'],
};

export const NATIONAL_PUSH_CODES: CodeLists = {
  status: STATUS_CODES,
  operation: PUSH_OPERATION_CODES,
  holderIdType: {},
  predecessorCodes: ['02', '08', '09'],
};

/** The base lists a target selects with `codes.list`. */
export const CODE_LIST_NAMES = ['national-collection', 'national-push'] as const;
export type CodeListName = (typeof CODE_LIST_NAMES)[number];

const BASE: Readonly<Record<CodeListName, CodeLists>> = {
  'national-collection': NATIONAL_CODES,
  'national-push': NATIONAL_PUSH_CODES,
};

/** The selected base lists (`list`, default the national collection) with a target's overrides laid over them, entry by entry. */
export function codeListsFor(
  overrides?: Partial<
    Readonly<Record<'status' | 'operation' | 'holderIdType', Readonly<Record<string, string>>>>
  > & {
    readonly list?: string;
  },
): CodeLists {
  // `codes` has no default of its own, so a target without it is filled here, from the schema, like one with it.
  const { list } = withSchemaDefaults(delivery.codes as Schema, overrides ?? {}) as { list: CodeListName };
  const base = BASE[list];
  return {
    status: { ...base.status, ...(overrides?.status ?? {}) },
    operation: { ...base.operation, ...(overrides?.operation ?? {}) },
    holderIdType: { ...base.holderIdType, ...(overrides?.holderIdType ?? {}) },
    predecessorCodes: base.predecessorCodes,
  };
}

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
  ['czztdmlx', (l, _op, c) => c.holderIdType[l.holder.idType] ?? l.holder.idType],
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

export interface BatchRequestItem {
  key: string;
  operation: string;
  license: PlatformLicense;
  signature: { algorithm: string; value: string; digest: string; sealId: string };
}

export interface BatchRequest {
  items: BatchRequestItem[];
}

export function toBatchItem(item: DeliveryItem, codes: CodeLists = NATIONAL_CODES): BatchRequestItem {
  const license = toPlatformLicense(item.license, item.operation, codes, item.version);
  return {
    key: item.key,
    operation: license.czlx,
    license,
    signature: {
      algorithm: item.signature.algorithm,
      value: item.signature.value,
      digest: item.signature.digest,
      sealId: item.signature.sealId,
    },
  };
}

export interface BatchResponseResult {
  key: string;
  status: string;
  platformId?: string | null;
  errors?: string[];
  duplicate?: boolean;
}

export interface BatchResponse {
  code: number;
  batchId?: string;
  results: BatchResponseResult[];
}

/** Parses a 200 answer; `undefined` when it is not the documented shape. */
export function parseBatchResponse(text: string): BatchResponse | undefined {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof doc !== 'object' || doc === null) return undefined;
  const { code: c, batchId, results } = doc as Record<string, unknown>;
  if (typeof c !== 'number') return undefined;
  const list = Array.isArray(results) ? results : [];
  const parsed: BatchResponseResult[] = [];
  for (const r of list) {
    if (typeof r !== 'object' || r === null) continue;
    const { key, status, platformId, errors, duplicate } = r as Record<string, unknown>;
    if (typeof key !== 'string' || typeof status !== 'string') continue;
    parsed.push({
      key,
      status,
      platformId: typeof platformId === 'string' ? platformId : null,
      errors: Array.isArray(errors) ? errors.map(String) : [],
      duplicate: duplicate === true,
    });
  }
  return { code: c, ...(typeof batchId === 'string' ? { batchId } : {}), results: parsed };
}
