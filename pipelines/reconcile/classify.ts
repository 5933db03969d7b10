/**
 * Source ⇄ ledger, key by key, inside the buckets that differ: a source row the ledger does not
 * hold is `missed`, one that maps to other content is `content-mismatch`; a ledger license without
 * a source row is `deleted-at-source`, or `unmappable` when its row exists but no longer maps.
 */
import type { ReconcileConfig } from '../../config/types.js';
import type { LedgerLicense } from '../../ledger/audit-types.js';
import { fingerprintOf } from '../../ledger/reconcile-store.js';
import type { SourceFold } from './source-side.js';
import type { Difference } from './types.js';

/** Source keys of licenses adopted from a platform (they have no source row by nature). */
export const ADOPTED_KEY_PREFIX = 'platform:';

export function classifySourceSide(
  fold: SourceFold,
  differing: ReadonlySet<number>,
  ledgerRows: readonly LedgerLicense[],
  settings: ReconcileConfig,
  licenseIdFor: (sourceKey: string) => string,
): Difference[] {
  const out: Difference[] = [];
  const byKey = new Map(ledgerRows.map((l) => [l.sourceKey, l]));
  const settledStatus = { revoke: 'revoked', cancel: 'cancelled', flag: undefined }[settings.deletedAtSource];
  const ledgerSide = (l: LedgerLicense) => ({
    version: l.version,
    versionId: l.versionId,
    status: l.status,
    contentHash: l.contentHash,
  });
  const inSource = new Set<string>();
  for (let i = 0; i < fold.keys.length; i++) {
    if (!differing.has(fold.buckets[i] ?? -1)) continue;
    const key = fold.keys[i] as string;
    inSource.add(key);
    const l = byKey.get(key);
    if (!l) {
      out.push({
        kind: 'missed',
        licenseId: licenseIdFor(key),
        sourceKey: key,
        target: null,
        ledger: null,
        platform: null,
      });
    } else if (fold.fingerprints[i] !== fingerprint(l)) {
      out.push({
        kind: 'content-mismatch',
        licenseId: l.licenseId,
        sourceKey: key,
        target: null,
        ledger: ledgerSide(l),
        platform: null,
      });
    }
  }
  for (const l of ledgerRows) {
    if (inSource.has(l.sourceKey)) continue;
    if (fold.unmappable.has(l.sourceKey)) {
      out.push({
        kind: 'unmappable',
        licenseId: l.licenseId,
        sourceKey: l.sourceKey,
        target: null,
        ledger: ledgerSide(l),
        platform: null,
      });
      continue;
    }
    // A deletion already answered by the policy, or a license adopted from a platform and revoked.
    if (l.status === settledStatus) continue;
    if (l.sourceKey.startsWith(ADOPTED_KEY_PREFIX) && (l.status === 'revoked' || l.status === 'cancelled'))
      continue;
    out.push({
      kind: 'deleted-at-source',
      licenseId: l.licenseId,
      sourceKey: l.sourceKey,
      target: null,
      ledger: ledgerSide(l),
      platform: null,
    });
  }
  return out;
}

function fingerprint(l: LedgerLicense): number {
  return fingerprintOf(l.sourceKey, l.contentHash);
}
