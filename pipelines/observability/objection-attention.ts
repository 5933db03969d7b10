/**
 * What `status` says of upheld objections (rules art. 16) whose correction a later version took
 * back: the source row was put back to what was objected to (restored from a backup, overwritten by
 * the system that feeds it), the next run wrote it as a new version like any change, and the
 * platforms show the objected content again while the objection reads as upheld. `objection list`
 * names it on the objection's line (`correctionUndoneBy`); status makes it a finding, so it is not
 * left to someone happening to list objections.
 *
 * A license that has ended since (revoked, cancelled, withdrawn: `ENDED_STATUSES`) is no finding:
 * the platforms show it ended, so nobody relies on the objected content any more. That is the way
 * out where the source row is gone for good and no run can carry a correction again: the license
 * is ended (`reconcile --repair` revokes or cancels a license deleted at the source when
 * `reconcile.deletedAtSource` says so), and the line clears.
 */
import type { Ledger, StoredVersion } from '../../ledger/ledger.js';
import type { StoredObjection } from '../../ledger/objections.js';
import { ENDED_STATUSES } from '../../ledger/predecessors.js';
import { undoneBy } from '../lifecycle/objection-correction.js';
import type { Attention } from './attention.js';

/** Upheld objections read a page at a time, and their licenses' versions a page at a time too. */
const PAGE = 500;

/**
 * One line per upheld objection whose correction a later version undid. Only objections whose
 * license has a version after the correcting one are read further — in time nearly all of them (the
 * tick's expiry is such a version) — so the versions of a page of them are read together, in pages
 * of {@link PAGE}: a look (and every /metrics snapshot) costs a read per page of versions, not one
 * per objection.
 */
export async function objectionUndoneAttention(ledger: Ledger): Promise<Attention[]> {
  const out: Attention[] = [];
  for (let afterId: number | undefined; ; ) {
    const page: StoredObjection[] = await ledger.listObjections({
      correctionSuperseded: true,
      ...(afterId === undefined ? {} : { afterId }),
      limit: PAGE,
    });
    const versions = await versionsOf(ledger, [...new Set(page.map((o) => o.licenseId))]);
    for (const o of page) {
      if (o.correctedVersion === null) continue;
      const of = versions.get(o.licenseId) ?? [];
      const undone = undoneBy(o.versionAtOpen, o.correctedVersion, of);
      if (undone === undefined || ended(of)) continue;
      out.push({
        kind: 'objection-undone',
        message: `objection ${o.objectionId} (rules art. 16): the correction upheld on license ${o.licenseId} (version ${o.correctedVersion}) was undone by version ${undone}: the source gives the objected content again, and it goes out to the platforms like any change; correct the row in the business system (pipeline ${o.pipeline}) so the next run carries the correction again, and open a new objection if the unit asks for one (\`licbridge objection list\`); where the row is gone from the source for good, end the license instead (with \`reconcile.deletedAtSource\` set to \`revoke\` or \`cancel\`, \`licbridge reconcile ${o.pipeline} --repair\` ends a license deleted at the source): an ended license clears this line`,
      });
    }
    if (page.length < PAGE) return out;
    afterId = (page.at(-1) as StoredObjection).objectionId;
  }
}

/** Whether the license's latest version has ended it (revoked, cancelled, withdrawn). */
function ended(versions: readonly StoredVersion[]): boolean {
  const latest = versions.reduce<StoredVersion | undefined>(
    (a, v) => (a === undefined || v.version > a.version ? v : a),
    undefined,
  );
  return latest !== undefined && ENDED_STATUSES.has(latest.status);
}

/** Every version of `licenseIds`, by license, read through the version pages `verify` also uses. */
async function versionsOf(
  ledger: Ledger,
  licenseIds: readonly string[],
): Promise<Map<string, StoredVersion[]>> {
  const out = new Map<string, StoredVersion[]>();
  if (licenseIds.length === 0) return out;
  for (let after = 0; ; ) {
    const page = await ledger.versionPage({ afterVersionId: after, limit: PAGE, licenseIds });
    for (const v of page) {
      const of = out.get(v.licenseId);
      if (of) of.push(v);
      else out.set(v.licenseId, [v]);
    }
    if (page.length < PAGE) return out;
    after = (page.at(-1) as StoredVersion).versionId;
  }
}
