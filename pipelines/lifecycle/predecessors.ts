/**
 * Before a page is committed: each license the mapping says continues another (renewal, change,
 * transfer-in) gets that license's identifier as `previousIdentifier`, from the ledger (or from
 * this very page, for a predecessor read just before it). One whose predecessor the pipeline does
 * not know cannot be sent — the platforms require it — and is quarantined with the reason. So is
 * one naming a number that more than one unrelated license holds (in the ledger, or in the page):
 * which it continues cannot be told, and linking it to either would be a guess.
 */
import { maskNumberShapes, showValue } from '../../catalog/personal.js';
import type { QuarantineCandidate, VersionCandidate, VersionLedger } from '../../ledger/ledger.js';
import { ENDED_STATUSES, type PredecessorLookup } from '../../ledger/predecessors.js';
import { firstIdentity, type LicenseCandidate } from '../../mappings/license-mapper.js';

/** A version candidate as the mapper made it: it may name a predecessor. */
type Candidate = VersionCandidate & Partial<Pick<LicenseCandidate, 'predecessor' | 'continues'>>;

/** A license of the page, under its source key and its number. */
interface PageEntry {
  /** Its place in the page. */
  at: number;
  licenseId: string;
  identifier: string;
  sourceKey: string;
  /** Its own number. */
  number: string;
  /** The number its own predecessor is named by, if any. */
  names?: string;
  /** Its status is one of `ENDED_STATUSES`: cancelled, revoked, withdrawn. */
  ended?: boolean;
}

/**
 * What the ledger is asked for a successor. A predecessor its source key names in this page is
 * that license, whatever the ledger holds under its number, so the number is not asked. The
 * licenses read before it in the page that hold its number go with the number, to be judged
 * with the ledger's: two unrelated licenses of the number are ambiguous whether a page boundary
 * falls between them or not, a renewal keeping the number (one naming it) is the predecessor as
 * it is once stored, and one read after the successor counts in no page (it is not read yet
 * where the page ends before it).
 */
function lookup(c: Candidate, at: number, inPage: Map<string, PageEntry[]>): PredecessorLookup {
  const ref = c.predecessor ?? {};
  const keyInPage =
    ref.sourceKey !== undefined &&
    (inPage.get(`k\u0000${ref.sourceKey}`) ?? []).some((e) => e.licenseId !== c.licenseId);
  if (keyInPage) return { licenseId: c.licenseId, sourceKey: ref.sourceKey };
  if (ref.number === undefined) return { licenseId: c.licenseId, ...ref };
  const held = new Map<string, NonNullable<PredecessorLookup['numberHeldInPage']>[number]>();
  for (const e of inPage.get(`n\u0000${ref.number}`) ?? []) {
    if (e.at >= at || e.licenseId === c.licenseId || held.has(e.licenseId)) continue;
    held.set(e.licenseId, {
      licenseId: e.licenseId,
      sourceKey: e.sourceKey,
      identifier: e.identifier,
      ...(e.names === ref.number ? { renews: true } : {}),
      ...(e.ended ? { ended: true } : {}),
    });
  }
  return {
    licenseId: c.licenseId,
    ...ref,
    ...(held.size === 0 ? {} : { numberHeldInPage: [...held.values()] }),
  };
}

/** `value` of a reason naming a predecessor: masked where it has a personal shape (a source key may be an ID number). */
function shown(path: string, value: string | undefined): { value?: string } {
  const text = value === undefined ? undefined : showValue(path, value);
  return text === undefined ? {} : { value: text };
}

export async function resolvePredecessors(
  ledger: VersionLedger,
  pipeline: string,
  candidates: Candidate[],
  quarantined: QuarantineCandidate[],
): Promise<VersionCandidate[]> {
  if (!candidates.some((c) => c.predecessor !== undefined)) return candidates;
  // Each candidate's entry under its source key and number, made once for every pass below.
  const entries = new Map<Candidate, PageEntry>();
  for (const [place, c] of candidates.entries()) {
    const first = firstIdentity(c);
    const entry: PageEntry = {
      at: place,
      licenseId: c.licenseId,
      identifier: first.identifier,
      sourceKey: c.sourceKey,
      number: first.number,
    };
    if (c.predecessor?.number !== undefined) entry.names = c.predecessor.number;
    if (ENDED_STATUSES.has(c.status)) entry.ended = true;
    entries.set(c, entry);
  }
  let rows = candidates;
  for (;;) {
    const pass = await resolveOnce(ledger, pipeline, rows, entries);
    quarantined.push(...pass.quarantined);
    // A row linked to one of the page quarantined here would continue a license never stored
    // (a renewal of a number no license holds, renewed again in the same page). The page is
    // resolved again without the quarantined rows, as a later page reads them: not in the ledger.
    const lost = new Set(pass.dropped.map((c) => (entries.get(c) as PageEntry).identifier));
    if (![...pass.linked].some((id) => lost.has(id))) return pass.out;
    const dropped = new Set(pass.dropped);
    rows = rows.filter((c) => !dropped.has(c));
  }
}

interface Pass {
  out: VersionCandidate[];
  quarantined: QuarantineCandidate[];
  /** The candidates quarantined. */
  dropped: Candidate[];
  /** The identifiers the successors were linked to. */
  linked: Set<string>;
}

async function resolveOnce(
  ledger: VersionLedger,
  pipeline: string,
  candidates: Candidate[],
  entries: ReadonlyMap<Candidate, PageEntry>,
): Promise<Pass> {
  const quarantined: QuarantineCandidate[] = [];
  const dropped: Candidate[] = [];
  const linked = new Set<string>();
  const successors = candidates.filter((c) => c.predecessor !== undefined);
  if (successors.length === 0) return { out: candidates, quarantined, dropped, linked };
  // A predecessor new in this same page: its first version's identifier. Every license of a number
  // is kept, in page order: a renewal (延续) keeps its number, so the renewal's own row carries the
  // number it names, and may come first in the page. An entry's `at` is its place in the page as
  // read: the rows a pass leaves out keep the others' order, which is all `at` is compared for.
  const inPage = new Map<string, PageEntry[]>();
  const note = (key: string, entry: PageEntry) => {
    const list = inPage.get(key);
    if (list) list.push(entry);
    else inPage.set(key, [entry]);
  };
  for (const c of candidates) {
    const entry = entries.get(c) as PageEntry;
    note(`k\u0000${c.sourceKey}`, entry);
    note(`n\u0000${entry.number}`, entry);
  }
  const ambiguous = new Map<string, string[]>();
  const found = await ledger.predecessorIdentifiers(
    pipeline,
    successors.map((c) => lookup(c, (entries.get(c) as PageEntry).at, inPage)),
    ambiguous,
  );
  /** The licenses of the page under `key` other than `licenseId` itself, each once. */
  const inPageOthers = (key: string, licenseId: string) => {
    const seen = new Set<string>();
    return (inPage.get(key) ?? []).filter((e) => {
      if (e.identifier.startsWith(`${licenseId}.`) || seen.has(e.identifier)) return false;
      seen.add(e.identifier);
      return true;
    });
  };
  /**
   * The page's license under `number`, for a successor the ledger found none for, so read before
   * every other row of the number in the page (those before it go to the ledger): a renewal may
   * come before the license it continues. A renewal of the number read after it continues it, or
   * what it continues, and is never its predecessor. Two licenses of the number naming none are unrelated,
   * unless all but one have ended: the number was given again, and the one in force is renewed.
   */
  const inPageByNumber = (number: string, licenseId: string) => {
    const others = inPageOthers(`n\u0000${number}`, licenseId);
    const all = others.filter((e) => e.names !== number);
    const inForce = all.filter((e) => e.ended !== true);
    const roots = all.length > 1 && inForce.length > 0 ? inForce : all;
    if (roots.length > 1) return { ambiguous: roots.map((e) => e.sourceKey) };
    return { identifier: roots[0]?.identifier };
  };
  const out: VersionCandidate[] = [];
  for (const c of candidates) {
    const ref = c.predecessor;
    if (!ref) {
      out.push(c);
      continue;
    }
    const byNumber =
      found.has(c.licenseId) || ref.number === undefined
        ? undefined
        : inPageByNumber(ref.number, c.licenseId);
    const candidatesOf = ambiguous.get(c.licenseId) ?? byNumber?.ambiguous;
    if (!found.has(c.licenseId) && candidatesOf !== undefined) {
      quarantined.push({
        sourceKey: c.sourceKey,
        reasons: [
          {
            code: 'LB_PREDECESSOR_AMBIGUOUS',
            // Source keys can be ID or phone numbers in a legacy table: masked, as in every report.
            message: `lifecycle: predecessor.number: ${candidatesOf.length} licenses of the pipeline hold the number it names (source keys ${candidatesOf.map((k) => maskNumberShapes(k)).join(', ')}), none continuing another; name the predecessor by predecessor.sourceKey`,
            path: 'predecessor.number',
            // The number named, as every reason shows a value: what to look for in the source.
            ...shown('predecessor.number', ref.number),
          },
        ],
      });
      dropped.push(c);
      continue;
    }
    const identifier =
      found.get(c.licenseId) ??
      (ref.sourceKey === undefined
        ? undefined
        : inPageOthers(`k\u0000${ref.sourceKey}`, c.licenseId)[0]?.identifier) ??
      byNumber?.identifier;
    if (identifier === undefined || identifier.startsWith(`${c.licenseId}.`) || !c.continues) {
      const path = ref.sourceKey === undefined ? 'predecessor.number' : 'predecessor.sourceKey';
      quarantined.push({
        sourceKey: c.sourceKey,
        reasons: [
          {
            code: 'LB_PREDECESSOR_UNKNOWN',
            message: `lifecycle: ${path}: the pipeline holds no license it names; a ${c.operation ?? 'renew'} must name a license already issued`,
            path,
            ...shown(path, ref.sourceKey ?? ref.number),
          },
        ],
      });
      dropped.push(c);
      continue;
    }
    c.continues(identifier);
    linked.add(identifier);
    out.push(c);
  }
  return { out, quarantined, dropped, linked };
}
