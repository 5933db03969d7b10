/**
 * `reconcile.deletedAtSource` ends licenses still in force whose source rows are gone: an ended
 * license keeps its ending whatever the policy (docs/reconciliation.md, "Deletions at the source").
 */
import { describe, expect, it } from 'vitest';
import { LICENSE_STATUSES } from '../../catalog/license.js';
import type { LedgerLicense } from '../../ledger/audit-types.js';
import { awaitsDeletion } from '../../pipelines/reconcile/classify.js';

function license(status: LedgerLicense['status'], extra: Partial<LedgerLicense> = {}): LedgerLicense {
  return {
    licenseId: '1.2.156.3005.2.11370200MB12345674001.11370211MB12345672.S1',
    sourceKey: '17',
    version: 2,
    versionId: 9,
    contentHash: 'h',
    status,
    ...extra,
  };
}

describe('which licenses without a source row await the deletion policy', () => {
  it('an ended license keeps its ending: revoked, cancelled and withdrawn are no deletion to answer', () => {
    for (const status of ['revoked', 'cancelled', 'withdrawn'] as const) {
      expect(awaitsDeletion(license(status))).toBe(false);
    }
  });

  it('a license not ended by an act awaits it, an expired one included', () => {
    const inForce = LICENSE_STATUSES.filter((s) => !['revoked', 'cancelled', 'withdrawn'].includes(s));
    expect(inForce).toEqual(['valid', 'suspended', 'expired', 'moved-out', 'other']);
    for (const status of inForce) expect(awaitsDeletion(license(status))).toBe(true);
  });

  it('a version a repair wrote (no source row behind it) is answered already', () => {
    expect(awaitsDeletion(license('revoked', { sourceless: true }))).toBe(false);
    expect(awaitsDeletion(license('valid', { sourceless: true, sourceKey: 'platform:PV1' }))).toBe(false);
  });
});
