/**
 * The licenses a check's rows would issue that the ledger does not hold yet, for the renewals
 * (changes, transfers-in) that continue them. A run commits each page before it reads the next, so
 * a renewal whose predecessor's row came in an earlier page finds that license in the ledger
 * (pipelines/lifecycle/predecessors.ts). A check commits nothing, and a full check reads rows by
 * bucket (bucket-side.ts), in no order a run keeps: looked for in the ledger and the current page
 * only, such a renewal of a row found `missed` was counted as a row that does not map.
 *
 * So the check remembers every row it mapped whose license the ledger lacks (as many as rows are
 * `missed`), answers the predecessor look-ups the ledger cannot from them, and keeps a renewal
 * whose predecessor it has not read yet until every row is read (`settle`). Only a predecessor no
 * row of the source gives leaves a renewal unmappable, as the run quarantines it.
 */
import type { QuarantineCandidate, VersionLedger } from '../../ledger/ledger.js';
import { ENDED_STATUSES, type PredecessorLookup } from '../../ledger/predecessors.js';
import type { LicenseCandidate } from '../../mappings/license-mapper.js';
import { resolvePredecessors } from '../lifecycle/predecessors.js';

/** A license a row of the check would issue, as a renewal of it finds it once it is stored. */
interface Unheld {
  licenseId: string;
  sourceKey: string;
  /** Its first version's identifier: a license stored by a run in an earlier page holds that one. */
  identifier: string;
  /** The number its own predecessor is named by, if any (a renewal keeping the number). */
  names?: string;
  ended?: boolean;
}

/** The reason a renewal's predecessor may still come with a later row. */
const UNKNOWN = 'LB_PREDECESSOR_UNKNOWN';

export class UnheldLicenses {
  private readonly byKey = new Map<string, Unheld>();
  private readonly byNumber = new Map<string, Unheld[]>();
  /** Renewals whose predecessor neither the ledger nor a row read before them gives. */
  private readonly waiting: LicenseCandidate[] = [];

  /** A row mapped whose license the ledger does not hold. */
  note(c: LicenseCandidate): void {
    const first = c.build(1);
    const entry: Unheld = {
      licenseId: c.licenseId,
      sourceKey: c.sourceKey,
      identifier: first.identifier,
      ...(c.predecessor?.number === undefined ? {} : { names: c.predecessor.number }),
      ...(ENDED_STATUSES.has(c.status) ? { ended: true } : {}),
    };
    this.byKey.set(c.sourceKey, entry);
    if (first.number === undefined || first.number === '') return;
    const list = this.byNumber.get(first.number);
    if (list) list.push(entry);
    else this.byNumber.set(first.number, [entry]);
  }

  /** Keeps a renewal its predecessor's row may still come for. */
  wait(c: LicenseCandidate): void {
    this.waiting.push(c);
  }

  /** The renewals quarantined only for want of a predecessor: they may wait for a later row. */
  static waitable(quarantined: readonly QuarantineCandidate[]): Set<string> {
    return new Set(
      quarantined.filter((q) => q.reasons.every((r) => r.code === UNKNOWN)).map((q) => q.sourceKey),
    );
  }

  /**
   * The ledger as a run would find it had it stored the rows read so far: a look-up the ledger
   * answers stands; one it does not is answered from the rows remembered here.
   */
  view(ledger: VersionLedger): VersionLedger {
    const ask: VersionLedger['predecessorIdentifiers'] = async (pipeline, refs, ambiguous) => {
      const out = await ledger.predecessorIdentifiers(pipeline, refs, ambiguous);
      for (const r of refs) {
        if (out.has(r.licenseId) || ambiguous?.has(r.licenseId)) continue;
        const answer = this.answer(r);
        if (answer === undefined) continue;
        if (typeof answer === 'string') out.set(r.licenseId, answer);
        else ambiguous?.set(r.licenseId, answer);
      }
      return out;
    };
    return Object.assign(Object.create(ledger) as VersionLedger, { predecessorIdentifiers: ask });
  }

  /**
   * The renewals kept waiting, once every row is read: those whose predecessor a row gave (in
   * rounds, a renewal of a renewal after it), and the keys of those left unmappable.
   */
  async settle(
    ledger: VersionLedger,
    pipeline: string,
  ): Promise<{ mapped: LicenseCandidate[]; unmappable: string[] }> {
    const mapped: LicenseCandidate[] = [];
    const unmappable: string[] = [];
    let left = this.waiting.splice(0);
    for (;;) {
      const quarantined: QuarantineCandidate[] = [];
      const ready = (await resolvePredecessors(
        this.view(ledger),
        pipeline,
        left,
        quarantined,
      )) as LicenseCandidate[];
      for (const c of ready) this.note(c);
      mapped.push(...ready);
      const out = new Set(quarantined.map((q) => q.sourceKey));
      const still = left.filter((c) => out.has(c.sourceKey));
      // No renewal linked this round: the rest name no license the source or the ledger holds.
      if (ready.length === 0 || still.length === 0) {
        unmappable.push(...still.map((c) => c.sourceKey));
        return { mapped, unmappable };
      }
      left = still;
    }
  }

  /** A predecessor from the remembered rows: its identifier, the source keys of several, or none. */
  private answer(r: PredecessorLookup): string | string[] | undefined {
    if (r.sourceKey !== undefined) {
      const e = this.byKey.get(r.sourceKey);
      return e && e.licenseId !== r.licenseId ? e.identifier : undefined;
    }
    if (r.number === undefined) return undefined;
    // As the ledger weighs a number (ledger/predecessors.ts): the licenses of it that no renewal
    // of the number continues, those in force when any is, with those read before it in its page.
    const inPage = (r.numberHeldInPage ?? []).filter((p) => p.renews !== true && p.licenseId !== r.licenseId);
    const remembered = new Map<string, Unheld>();
    for (const e of this.byNumber.get(r.number) ?? []) {
      if (e.licenseId === r.licenseId || e.names === r.number) continue;
      if (!inPage.some((p) => p.licenseId === e.licenseId)) remembered.set(e.licenseId, e);
    }
    const heads = [...remembered.values(), ...inPage];
    const inForce = heads.filter((e) => e.ended !== true);
    const roots = heads.length > 1 && inForce.length > 0 ? inForce : heads;
    if (roots.length > 1) return roots.map((e) => e.sourceKey);
    // One of the page itself is for the page to link.
    const root = roots[0];
    if (root === undefined || !remembered.has(root.licenseId)) return undefined;
    return root.identifier;
  }
}
