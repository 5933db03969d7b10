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
  // A predecessor new in this same page: its first version's identifier. Every license of a number
  // is kept, in page order: a renewal (延续) keeps its number, so the renewal's own row carries the
  // number it names, and may come first in the page.
  const inPage = new Map<string, string[]>();
  const note = (key: string, identifier: string) => {
    const list = inPage.get(key);
    if (list) list.push(identifier);
    else inPage.set(key, [identifier]);
  };
  for (const c of candidates) {
    const first = c.build(1);
    note(`k\u0000${c.sourceKey}`, first.identifier);
    note(`n\u0000${first.number}`, first.identifier);
  }
  /** The first license of the page under `key` other than `licenseId` itself. */
  const inPageOther = (key: string, licenseId: string) =>
    inPage.get(key)?.find((identifier) => !identifier.startsWith(`${licenseId}.`));
  const out: VersionCandidate[] = [];
  for (const c of candidates) {
    const ref = c.predecessor;
    if (!ref) {
      out.push(c);
      continue;
    }
    const identifier =
      found.get(c.licenseId) ??
      (ref.sourceKey === undefined ? undefined : inPageOther(`k\u0000${ref.sourceKey}`, c.licenseId)) ??
      (ref.number === undefined ? undefined : inPageOther(`n\u0000${ref.number}`, c.licenseId));
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
