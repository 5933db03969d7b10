/**
 * Whether a license's later versions correct what an objection was about, and whether the
 * correction went out and stayed (pipelines/lifecycle/objections.ts upholds and lists on these).
 * A correction is a version after the one objected to whose operation corrects content (`update`,
 * `renew`, `change`) and whose content, status aside, differs from the objected version's. A
 * license ended since (revoked, cancelled, withdrawn: `ENDED_STATUSES`) is settled by its ending:
 * the platforms show it ended, nobody relies on the objected content any more, as `status` already
 * says of an undone correction (observability/objection-attention.ts); without it, an objection
 * answered by ending the license could never be upheld and stayed overdue (art. 16).
 */
import { storedContentHash } from '../../catalog/canonical.js';
import type { License, LicenseOperation } from '../../catalog/license.js';
import type { Ledger, StoredVersion } from '../../ledger/ledger.js';
import { ENDED_STATUSES } from '../../ledger/predecessors.js';

/** Operations that carry a change of content; the others (expire, suspend, resume, …) change the status only. */
const CORRECTING: ReadonlySet<LicenseOperation> = new Set<LicenseOperation>(['update', 'renew', 'change']);

/**
 * A version's content with its status set aside: what an objection can be about. Undefined for a
 * stored text that does not read or cannot be hashed (a number past the doubles, values nested
 * past the stack), which judges no correction: thrown, it failed `objection list`, every uphold of
 * the objection, and `licbridge status` whole, for as long as the text stayed corrupt.
 */
function contentBesidesStatus(v: Pick<StoredVersion, 'payload'>): string | undefined {
  let license: License;
  try {
    license = v.payload;
  } catch {
    return undefined;
  }
  const hashed = storedContentHash({ ...license, status: 'valid' });
  return 'cannot' in hashed ? undefined : hashed.hash;
}

/**
 * The version that corrects what was objected to in version `versionAtOpen`, among a license's
 * `versions`: the latest one after it whose operation corrects content and whose content, status
 * aside, differs from the objected version's — provided the license's latest version still
 * differs too (a correction the source took back corrects nothing). Undefined when there is none.
 */
export function correctionOf(
  versionAtOpen: number,
  versions: readonly Pick<StoredVersion, 'version' | 'operation' | 'payload'>[],
): number | undefined {
  const sorted = [...versions].sort((a, b) => a.version - b.version);
  const objected = sorted.find((v) => v.version === versionAtOpen);
  const latest = sorted.at(-1);
  if (!objected || !latest) return undefined;
  const was = contentBesidesStatus(objected);
  const now = contentBesidesStatus(latest);
  if (was === undefined || now === undefined || now === was) return undefined;
  for (const v of sorted.reverse()) {
    if (v.version <= versionAtOpen) return undefined;
    const content = contentBesidesStatus(v);
    if (CORRECTING.has(v.operation) && content !== undefined && content !== was) return v.version;
  }
  return undefined;
}

/**
 * The version that ended the license after version `versionAtOpen`, when its latest version is
 * still ended (revoked, cancelled, withdrawn): the first of the trailing run of ended versions.
 * Undefined when the license is in force, or was ended already when the objection was opened.
 */
export function endingOf(
  versionAtOpen: number,
  versions: readonly Pick<StoredVersion, 'version' | 'status'>[],
): number | undefined {
  let first: number | undefined;
  for (const v of [...versions].sort((a, b) => b.version - a.version)) {
    if (v.version <= versionAtOpen || !ENDED_STATUSES.has(v.status)) break;
    first = v.version;
  }
  return first;
}

/**
 * What settles an objection: the version correcting its content (`correctionOf`), else the one
 * ending the license (`endingOf`, `ended` set). Undefined while neither is there.
 */
export function settlementOf(
  versionAtOpen: number,
  versions: readonly Pick<StoredVersion, 'version' | 'operation' | 'payload' | 'status'>[],
): { version: number; ended?: true } | undefined {
  const corrected = correctionOf(versionAtOpen, versions);
  if (corrected !== undefined) return { version: corrected };
  const ending = endingOf(versionAtOpen, versions);
  return ending === undefined ? undefined : { version: ending, ended: true };
}

/** Delivery states of a version a platform holds, or may yet hold (sent, or about to be). */
const OUT_OR_GOING: ReadonlySet<string> = new Set(['accepted', 'submitted', 'pending']);

/**
 * The state told for a correction accepted in name only: a repair found the platform showing an
 * older version and holds its delivery back, the key answered as a duplicate
 * (ledger/reconcile-duplicates.ts).
 */
export const HELD_DUPLICATE = 'held-duplicate';

/**
 * The pipeline's targets that still show what was objected to: each accepted a version before the
 * correcting one and neither the correcting version nor any later one (which carries the
 * correction too, or `correctionOf` would have found none). A dead-lettered, discarded or still
 * pending correction has not gone out, and upholding on it would record a correction nobody can
 * see; nor has one held back as an answered duplicate, accepted in name only (the platform shows
 * an older version, as the art. 10 clock counts it: ledger/deadlines.ts). A target that accepted
 * no version of the license at all, and has none on its way (it refuses the license, or was added
 * to the pipeline after the license went out), shows nothing of it: waiting on it would keep the
 * objection open for good, with no correction left to make.
 */
export async function targetsWithoutCorrection(
  ledger: Ledger,
  targets: readonly string[],
  versions: readonly StoredVersion[],
  corrected: number,
): Promise<{ target: string; state: string | null }[]> {
  const since = versions.filter((v) => v.version >= corrected).sort((a, b) => b.version - a.version);
  const sinceIds = new Set(since.map((v) => v.versionId));
  const out: { target: string; state: string | null }[] = [];
  for (const target of targets) {
    const states = await ledger.deliveryStates(
      versions.map((v) => v.versionId),
      target,
    );
    const accepted = states.filter((s) => s.state === 'accepted' && sinceIds.has(s.versionId));
    const held = new Set(
      accepted.length === 0
        ? []
        : (await ledger.repairDuplicates.find(accepted.map((s) => s.key)))
            .filter((d) => d.heldBy !== null)
            .map((d) => d.key),
    );
    if (accepted.some((s) => !held.has(s.key))) continue;
    // Nothing accepted there, nothing on its way: the platform holds no version of the license.
    if (!states.some((s) => s.state !== null && OUT_OR_GOING.has(s.state))) continue;
    // The latest version's state is what an operator acts on (`dlq list` names it).
    const latest = states.find((s) => s.versionId === since[0]?.versionId);
    out.push({ target, state: latest && held.has(latest.key) ? HELD_DUPLICATE : (latest?.state ?? null) });
  }
  return out;
}

/** Every version of one license, through the version pages `verify` also uses. */
export async function licenseVersions(ledger: Ledger, licenseId: string): Promise<StoredVersion[]> {
  const out: StoredVersion[] = [];
  for (let after = 0; ; ) {
    const page = await ledger.versionPage({ afterVersionId: after, limit: 500, licenseIds: [licenseId] });
    if (page.length === 0) return out;
    out.push(...page);
    after = (page[page.length - 1] as StoredVersion).versionId;
  }
}

/**
 * The version from which a license's content, status aside, is again that of `versionAtOpen`
 * after the correction `correctedVersion`: the first of the trailing run of such versions. A
 * later run writes what the source holds, so a source row restored to what was objected to takes
 * the correction back; undefined while the latest version still carries a correction.
 */
export function undoneBy(
  versionAtOpen: number,
  correctedVersion: number,
  versions: readonly Pick<StoredVersion, 'version' | 'payload'>[],
): number | undefined {
  const sorted = [...versions].sort((a, b) => a.version - b.version);
  const objected = sorted.find((v) => v.version === versionAtOpen);
  if (!objected) return undefined;
  const was = contentBesidesStatus(objected);
  if (was === undefined) return undefined;
  let first: number | undefined;
  for (const v of sorted.reverse()) {
    if (v.version <= correctedVersion || contentBesidesStatus(v) !== was) break;
    first = v.version;
  }
  return first;
}
