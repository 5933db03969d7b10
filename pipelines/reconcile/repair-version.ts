/**
 * The versions a repair writes (repair.ts): a license ended by the deletion policy, or a platform's
 * license adopted and revoked, built from the license as stored. The stored licenses of the
 * endings are read a page of the plan at a time, as the page's versions are written: read for the
 * whole plan at once, a repair under `--allow-mass` of a large ledger held every license's text
 * (hundreds of MB for a million) before it wrote the first version.
 */
import { contentHash } from '../../catalog/canonical.js';
import { buildIdentifier } from '../../catalog/identifier.js';
import type { License, LicenseStatus } from '../../catalog/license.js';
import type { RepairVersionInput } from '../../ledger/audit-types.js';
import type { Ledger } from '../../ledger/ledger.js';
import { type StoredText, storedText } from './stored-text.js';

/** The plan's pipeline and the repair's run, as a written version's lineage names them. */
export interface RepairOrigin {
  pipeline: string;
  runId: string;
}

/**
 * The licenses stored under `versionIds`, by version id, each checked against its content hash
 * (stored-text.ts): a corrupt text is what is wrong with it, for that license alone, not a failure
 * of the whole repair. A version the ledger gives none for is absent.
 */
export async function storedLicenses(
  ledger: Pick<Ledger, 'getVersions'>,
  versionIds: readonly number[],
): Promise<Map<number, StoredText>> {
  const byVersionId = new Map<number, StoredText>();
  if (versionIds.length === 0) return byVersionId;
  for (const v of await ledger.getVersions(versionIds)) byVersionId.set(v.versionId, storedText(v, true));
  return byVersionId;
}

/** The version after `after` of `licenseId`: `payload` with `status`, for `reason`. */
export function nextVersion(
  payload: License,
  status: LicenseStatus,
  licenseId: string,
  sourceKey: string,
  after: number,
  origin: RepairOrigin,
  reason: string,
  adopt: boolean,
): RepairVersionInput {
  const { identifier: _old, ...content } = payload;
  const changed = { ...content, status };
  const parts = licenseId.split('.');
  const [typeCode, issuerCode, serial] = parts.slice(-3) as [string, string, string];
  const probe = {
    identifier: buildIdentifier({ typeCode, issuerCode, serial, version: after + 1 }),
    ...changed,
  };
  return {
    licenseId,
    sourceKey,
    contentHash: contentHash(probe),
    status,
    lineage: {
      pipeline: origin.pipeline,
      source: 'reconcile',
      sourceKey,
      runId: origin.runId,
      catalogVersion: '',
      mappingVersion: '',
    },
    build: (version) => ({
      identifier: buildIdentifier({ typeCode, issuerCode, serial, version }),
      ...changed,
    }),
    reason,
    after,
    adopt,
  };
}
