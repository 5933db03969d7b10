/**
 * The canonical `License` record (GB/T 36903 metadata as production schemas carry them).
 * Everything inside licbridge speaks this shape; platform adapters map it to their own field
 * names and code lists.
 */

import { LICENSE_OPERATIONS, LICENSE_STATUSES } from '../core/code-lists.js';

export { LICENSE_OPERATIONS, LICENSE_STATUSES };

export type LicenseStatus = (typeof LICENSE_STATUSES)[number];

export type LicenseOperation = (typeof LICENSE_OPERATIONS)[number];

export interface LicenseHolder {
  name: string;
  /** Holder id type code, GB/T 36903 annex A: `001` credit code, `111` resident ID, … */
  idType: string;
  id: string;
}

export interface CodedName {
  name: string;
  code: string;
}

export interface License {
  /** GB/T 36904 identifier of this version, e.g. `1.2.156.3005.2.<type>.<issuer>.<serial>.001.F`. */
  identifier: string;
  /** 证照编号 — the number printed on the license. */
  number: string;
  /** License type name and code (21 chars: definer credit code + 3 digits). */
  type: CodedName;
  issuer: CodedName;
  /** ISO date `YYYY-MM-DD`. */
  issueDate: string;
  validFrom: string;
  /** `null` means long-term (长期). */
  validTo: string | null;
  /** 6-digit administrative division code. */
  areaCode: string;
  holder: LicenseHolder;
  status: LicenseStatus;
  /** 照面信息: the per-type face fields, checked by the catalog entry's JSON Schema. */
  surface: Record<string, unknown>;
  /**
   * The identifier of the license this one continues (renewal, change, transfer-in), as the
   * platforms hold it; absent for a license that continues none (docs/lifecycle.md).
   */
  previousIdentifier?: string;
}

/** Where a license version came from. Kept beside the license, never inside the signed form. */
export interface Lineage {
  pipeline: string;
  source: string;
  sourceKey: string;
  runId: string;
  catalogVersion: string;
  mappingVersion: string;
}
