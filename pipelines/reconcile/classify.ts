/**
 * Source ⇄ ledger, key by key, inside the buckets that differ: a source row the ledger does not
 * hold is `missed`, one that maps to other content is `content-mismatch` (`unmappable` when its
 * license can take no further version); a ledger license without a source row is
 * `deleted-at-source`, or `unmappable` when its row exists but no longer maps (or, at version 999,
 * once a repair quarantined it for the ending it cannot take: deletedAtVersionLimit).
 */
import { MAX_VERSION } from '../../catalog/identifier.js';
import { pairFingerprint } from '../../core/reconcile-digest.js';
import type { LedgerLicense } from '../../ledger/audit-types.js';
import type { Ledger } from '../../ledger/ledger.js';
import { shownNul } from '../../ledger/nul-text.js';
import { ENDED_STATUSES } from '../../ledger/predecessors.js';
import { CODE_VERSION_LIMIT } from '../../ledger/version-limit.js';
import type { SourceFold } from './source-side.js';
import { SourceKeySet, storedForms } from './stored-key.js';
import type { Difference, DifferenceKind } from './types.js';

/** Source keys of licenses adopted from a platform (they have no source row by nature). */
export const ADOPTED_KEY_PREFIX = 'platform:';

/**
 * The source key a license only `d.target` holds takes when a repair adopts it (or is quarantined
 * under when it cannot): the target named too, as platforms number their records alike.
 */
export function adoptionKey(d: Pick<Difference, 'target' | 'platform' | 'licenseId'>): string {
  return `${ADOPTED_KEY_PREFIX}${d.target}:${d.platform?.platformId ?? d.licenseId}`;
}

/** A difference seen from the ledger's side: the license's latest version as the ledger holds it. */
export function ledgerDifference(kind: DifferenceKind, l: LedgerLicense): Difference {
  return {
    kind,
    licenseId: l.licenseId,
    sourceKey: l.sourceKey,
    target: null,
    ledger: { version: l.version, versionId: l.versionId, status: l.status, contentHash: l.contentHash },
    platform: null,
  };
}

/** A source key the ledger holds no license for. */
export function missedDifference(sourceKey: string, licenseId: string): Difference {
  return { kind: 'missed', licenseId, sourceKey, target: null, ledger: null, platform: null };
}

/**
 * The license ids of the source rows a report found `missed`: a license only the platform holds
 * under one of them is that row's license, which the ledger lost, not one to adopt and revoke.
 */
export function missedLicenseIds(differences: readonly Difference[]): Set<string> {
  return new Set(differences.filter((d) => d.kind === 'missed').map((d) => d.licenseId));
}

/**
 * Whether a license without a source row is still a `deleted-at-source` difference: only while it
 * has not ended by an act (`ENDED_STATUSES`: revoked, cancelled, withdrawn). `reconcile.deletedAtSource`
 * ends the others whose rows are gone (an expired one included: its validity ran out, it was
 * not ended); an ended license keeps its ending, whatever the policy: under `cancel` a license
 * revoked at the source stays revoked, under `revoke` a cancelled one stays cancelled (a repair
 * used to turn one into the other, re-ending it for a reason nobody gave).
 */
export function awaitsDeletion(l: LedgerLicense): boolean {
  // A version a repair wrote (a deletion answered, a license adopted) stands on no source row
  // (`source_fp = '-'`, left out of the bucket digests): answered under whatever policy was set
  // then. Judged by today's policy, a switch from `revoke` to `cancel` made the light check report
  // every earlier revocation as deleted again while the full check's digests did not.
  if (l.sourceless) return false;
  return !ENDED_STATUSES.has(l.status);
}

export function classifySourceSide(
  fold: SourceFold,
  differing: ReadonlySet<number>,
  ledgerRows: readonly LedgerLicense[],
  licenseIdFor: (sourceKey: string) => string,
): Difference[] {
  const out: Difference[] = [];
  const byKey = new Map(ledgerRows.map((l) => [l.sourceKey, l]));
  // Keys as the source gives them, found as the ledger reads them back (stored-key.ts).
  const inSource = new SourceKeySet();
  const unmappable = new SourceKeySet();
  for (const key of fold.unmappable) unmappable.add(key);
  for (let i = 0; i < fold.keys.length; i++) {
    if (!differing.has(fold.buckets[i] ?? -1)) continue;
    const key = fold.keys[i] as string;
    inSource.add(key);
    const l = byKey.get(key) ?? ledgerOf(byKey, key);
    if (!l) out.push(missedDifference(key, licenseIdFor(key)));
    // The pair fingerprinted under the source's key, as the fold's is.
    else if (fold.fingerprints[i] !== pairFingerprint(key, l.contentHash)) {
      if (awaitsTick(fold, i, l)) fold.awaitingTick++;
      else out.push(ledgerDifference(changedKind(l), l));
    }
  }
  for (const l of ledgerRows) {
    if (inSource.has(l.sourceKey)) continue;
    if (unmappable.has(l.sourceKey)) out.push(ledgerDifference('unmappable', l));
    else if (awaitsDeletion(l)) out.push(ledgerDifference('deleted-at-source', l));
  }
  return out;
}

/**
 * Whether the license of the fold's row `i` differs from its row only by the validity end the next
 * lifecycle tick writes (source-side.ts noteUntilTick): held `valid`, with the content the row maps
 * to but for the derived `expired`. No difference: the tick expires it, and a repair's re-read
 * would write that expiry beside the tick's.
 */
export function awaitsTick(fold: SourceFold, i: number, l: LedgerLicense): boolean {
  const until = fold.untilTick.get(i);
  return (
    until !== undefined &&
    l.status === 'valid' &&
    until === pairFingerprint(fold.keys[i] as string, l.contentHash)
  );
}

/**
 * A license at the last version an identifier numbers (GB/T 36904: 3 digits) cannot take its
 * row's change: each run quarantines the row LB_VERSION_LIMIT (ledger/version-limit.ts). Reported
 * as `content-mismatch`, its advice was a re-read that quarantines it again, every check; as
 * `unmappable` it points to the quarantine list, which says why.
 */
export function changedKind(l: LedgerLicense): DifferenceKind {
  return l.version >= MAX_VERSION ? 'unmappable' : 'content-mismatch';
}

/**
 * A license at the last version whose row is gone cannot take its `revoke` (`cancel`) version
 * either: the first repair quarantines it `LB_VERSION_LIMIT` under its source key
 * (ledger/version-limit.ts quarantineUnended). Still reported `deleted-at-source` once that record
 * is open, every check planned an ending no repair can write; reported `unmappable`, as a changed
 * row at that version is (changedKind), it points to the quarantine list, which says why. Until
 * then it stays `deleted-at-source`, so that a repair quarantines it. The quarantine list is read
 * only when such a license is among the differences (rare: a row rewritten daily for years).
 */
export async function deletedAtVersionLimit(
  ledger: Ledger,
  pipeline: string,
  differences: Difference[],
): Promise<Difference[]> {
  const full = (d: Difference) => d.kind === 'deleted-at-source' && (d.ledger?.version ?? 0) >= MAX_VERSION;
  if (!differences.some(full)) return differences;
  const open = new Set(
    (await ledger.openQuarantine({ pipeline }))
      .filter((q) => q.reasons.some((r) => r.code === CODE_VERSION_LIMIT))
      .map((q) => q.sourceKey),
  );
  // A key holding a NUL is quarantined under its key with the NUL written out on PostgreSQL.
  const listed = (key: string) => open.has(key) || open.has(shownNul(key));
  return differences.map((d) =>
    full(d) && d.sourceKey !== null && listed(d.sourceKey) ? { ...d, kind: 'unmappable' } : d,
  );
}

/** The license of a source key the ledger reads back in another form, if it holds one. */
function ledgerOf(byKey: ReadonlyMap<string, LedgerLicense>, key: string): LedgerLicense | undefined {
  for (const form of storedForms(key)) {
    const l = byKey.get(form);
    if (l) return l;
  }
  return undefined;
}
