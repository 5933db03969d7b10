/**
 * Before a page is committed: each license the mapping says continues another (renewal, change,
 * transfer-in) gets that license's identifier as `previousIdentifier`, from the ledger (or from
 * this very page, for a predecessor read just before it). One whose predecessor the pipeline does
 * not know cannot be sent — the platforms require it — and is quarantined with the reason.
 */
import type { QuarantineCandidate, VersionCandidate, VersionLedger } from '../../ledger/ledger.js';
import type { LicenseCandidate } from '../../mappings/license-mapper.js';

/** A version candidate as the mapper made it: it may name a predecessor. */
type Candidate = VersionCandidate & Partial<Pick<LicenseCandidate, 'predecessor' | 'continues'>>;

export async function resolvePredecessors(
  ledger: VersionLedger,
  pipeline: string,
  candidates: Candidate[],
  quarantined: QuarantineCandidate[],
): Promise<VersionCandidate[]> {
  const successors = candidates.filter((c) => c.predecessor !== undefined);
  if (successors.length === 0) return candidates;
  const found = await ledger.predecessorIdentifiers(
    pipeline,
    successors.map((c) => ({ licenseId: c.licenseId, ...c.predecessor })),
  );
  // A predecessor new in this same page: its first version's identifier.
  const inPage = new Map<string, string>();
  for (const c of candidates) {
    const first = c.build(1);
    inPage.set(`k\u0000${c.sourceKey}`, first.identifier);
    if (!inPage.has(`n\u0000${first.number}`)) inPage.set(`n\u0000${first.number}`, first.identifier);
  }
  const out: VersionCandidate[] = [];
  for (const c of candidates) {
    const ref = c.predecessor;
    if (!ref) {
      out.push(c);
      continue;
    }
    const identifier =
      found.get(c.licenseId) ??
      (ref.sourceKey === undefined ? undefined : inPage.get(`k\u0000${ref.sourceKey}`)) ??
      (ref.number === undefined ? undefined : inPage.get(`n\u0000${ref.number}`));
    if (identifier === undefined || identifier.startsWith(`${c.licenseId}.`) || !c.continues) {
      const path = ref.sourceKey === undefined ? 'predecessor.number' : 'predecessor.sourceKey';
      quarantined.push({
        sourceKey: c.sourceKey,
        reasons: [
          {
            code: 'LB_PREDECESSOR_UNKNOWN',
            message: `lifecycle: ${path}: the pipeline holds no license it names; a ${c.operation ?? 'renew'} must name a license already issued`,
            path,
          },
        ],
      });
      continue;
    }
    c.continues(identifier);
    out.push(c);
  }
  return out;
}
