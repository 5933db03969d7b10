/**
 * The code lists a platform speaks (GB/T 36903 status and operation codes, holder id types), as a
 * target selects them with `codes.list` and overrides them entry by entry. Shared by every target
 * that writes the platform record (REST/JSON, SOAP/XML, the front database).
 */

import type { LicenseOperation, LicenseStatus } from '../../../catalog/license.js';
import type { Schema } from '../../../config/schema/builders.js';
import { delivery } from '../../../config/schema/target-parts.js';
import { withSchemaDefaults } from '../../../config/schema-defaults.js';

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
