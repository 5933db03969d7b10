/**
 * The platform side: the ledger's licenses of one pipeline and one target's listing, walked side
 * by side in license-id order (a merge join: memory stays at two pages whatever the size). A
 * target without a listing is asked per page of ledger licenses instead; it cannot reveal
 * licenses unknown to the ledger then. An entry the target could not read back (marked
 * `unreadable`) is reported as `unreadable-at-platform`, never taken for a license it lacks.
 */
import type { PlatformRecord, TargetAdapter } from '../../adapters/platforms/target.js';
import type { LedgerLicenseAtTarget } from '../../ledger/audit-types.js';
import type { Ledger } from '../../ledger/ledger.js';
import { onePerLicense } from './answered-twice.js';
import { awaitsDelivery } from './awaiting-delivery.js';
import { byteOrder } from './byte-order.js';
import { licensesAtTargetPages } from './license-pages.js';
import { ListingOrder } from './listing-order.js';
import { ownPadded } from './padded-id.js';
import { askedAgain, ReadOrder, type Walked } from './read-order.js';
import type { Difference, SideCounts } from './types.js';

export interface PlatformCheck {
  differences: Difference[];
  counts: SideCounts;
}

/** Flattens chunked async sources into one item at a time. */
async function* flatten<T>(chunks: AsyncIterable<T[]>): AsyncIterable<T> {
  for await (const c of chunks) yield* c;
}

export async function checkPlatform(options: {
  ledger: Ledger;
  pipeline: string;
  adapter: TargetAdapter;
  /**
   * `1.2.156.3005.2.<type>.<issuer>.`: the platform licenses that may belong to this pipeline.
   * Another pipeline may issue the same type for the same issuer; its licenses are left to it.
   */
  licensePrefix: string;
  /**
   * The config's other pipelines that deliver to this target's platform (under any target naming
   * it, samePlatform in reconcile.ts): a license the ledger holds under one of them is its check's
   * to compare here; one held under a pipeline not among them (no longer in the config, or no
   * longer delivering to this platform) is compared by none.
   * @defaultValue none: every license held under another pipeline is reported
   */
  otherPipelines?: readonly string[];
  pageSize: number;
  /**
   * Source-side differences the report shows, by license id: each whose latest version awaits
   * delivery at this target gets it named in `awaitingAt`, as the platform does not hold that
   * version (a report showing no platform difference says it does).
   */
  watched?: ReadonlyMap<string, Difference>;
  signal?: AbortSignal;
  /** Ledger licenses compared so far, about once a page. */
  onProgress?: (done: number) => void;
}): Promise<PlatformCheck> {
  const { ledger, pipeline, adapter } = options;
  const differences: Difference[] = [];
  const counts: SideCounts = { total: 0, byStatus: {} };
  const target = adapter.name;

  // Entries named only by their license's zzbs, not by the licenseId the listing is sorted by: the
  // platform lists them wherever it puts an entry without one, so they are matched with the
  // ledger's licenses after the merge, not in it (in it, one out of order failed the whole check).
  // Only a listing has them; declared before `compare`, which a walk of look-ups calls too. Every
  // entry of a license is kept, in listing order: kept one per license, a second entry named by the
  // same license replaced the first, and only one listing position was ever reported.
  const namedByContent = new Map<string, PlatformRecord[]>();
  let compared = 0;
  // Licenses whose latest version is still owed to the platform (awaiting-delivery.ts): counted,
  // not reported, and not kept. Kept to be matched with an entry named by content listed after
  // them, a target newly added to a large ledger held one entry per license (~200 MB a million);
  // such entries' licenses are read again at the end instead. Kept by id: those the report shows
  // (`watched`, few), which name the target they await.
  let awaiting = 0;
  const awaitingWatched = new Set<string>();
  const compare = (l: LedgerLicenseAtTarget, p: PlatformRecord | undefined): void => {
    compared += 1;
    if (compared % options.pageSize === 0) options.onProgress?.(compared);
    const base = { licenseId: l.licenseId, sourceKey: l.sourceKey, target, ledger: ledgerSideOf(l) };
    if (p?.unreadable) {
      differences.push(unreadableDifference(p, target, base));
      return;
    }
    if (!p) {
      const named = namedByContent.get(l.licenseId);
      if (named) {
        // Read by the time this license is missed only when listed before it; later ones are settled below.
        namedByContent.delete(l.licenseId);
        for (const n of named) differences.push(unreadableDifference(n, target, base));
        return;
      }
    }
    if (awaitsDelivery(l, p)) {
      awaiting += 1;
      if (options.watched?.has(l.licenseId)) awaitingWatched.add(l.licenseId);
      return;
    }
    if (!p) {
      differences.push({ ...base, kind: 'missing-at-platform', platform: null });
      return;
    }
    const platform = {
      version: p.version,
      status: p.status,
      contentHash: p.contentHash ?? null,
      platformId: p.platformId,
    };
    if (p.status !== l.status) differences.push({ ...base, kind: 'status-drift', platform });
    else if (p.contentHash !== undefined && p.contentHash !== l.contentHash) {
      differences.push({ ...base, kind: 'platform-content-mismatch', platform });
    } else if (p.version !== l.version) {
      // The content hash leaves the identifier out, and a later version may carry the content of an
      // earlier one (suspended, then valid again): a platform holding another version than the
      // ledger's latest (one it never received, or one the ledger does not hold) does not agree.
      differences.push({ ...base, kind: 'platform-content-mismatch', platform });
    }
  };
  // Which side of each pair was read first (read-order.ts). A ledger page read after the listing
  // page that answered for its licenses may hold a delivery the platform took between the two: those
  // the platform lacked (or held in an earlier version) are asked of it again, a page of pairs in
  // one lookup, and one the listing lacked that it holds now is counted at the platform.
  const order = new ReadOrder();
  // A ledger page read before the platform answered for its licenses: a platform holding a later
  // version than the page may hold one a run committed and delivered since (not one licbridge
  // never sent). Such licenses are read again, those of a page of pairs in one query, and each
  // pair is compared in walk order.
  // An answer padded around the id asked is that license's unreadable answer (padded-id.ts), as in a
  // listing: kept under the padded id, the license was taken for absent there (missing-at-platform,
  // re-sent) though the listing showed it. Records beyond one per license (answered-twice.ts) are
  // reported under their license as its pair is compared.
  let answeredAgain: PlatformRecord[] = [];
  const lookupOwn = adapter.lookup
    ? async (ids: readonly string[]) => {
        const answers = ((await adapter.lookup?.(ids)) ?? []).map(
          (r) => ownPadded(r, options.licensePrefix) ?? r,
        );
        const { first, again } = onePerLicense(answers);
        answeredAgain.push(...again);
        return first;
      }
    : undefined;
  const compareAll = async (walkedPairs: readonly Walked[]) => {
    const pairs = await askedAgain(walkedPairs, order, lookupOwn);
    // Counted as compared: a license asked again is counted in the status the platform answered
    // now, not the one its listing showed (a license revoked since still counted valid there).
    for (const [, p] of pairs) if (p) count(p);
    const ahead = pairs
      .filter(([l, p]) => p && !p.unreadable && p.version > l.version)
      .map(([l]) => l.licenseId);
    const again = ahead.length === 0 ? [] : await ledger.licensesAtTargetByIds(pipeline, target, ahead);
    const fresh = new Map(again.map((a) => [a.licenseId, a]));
    for (const [l, p] of pairs) compare(fresh.get(l.licenseId) ?? l, p);
    if (answeredAgain.length === 0) return;
    const asWalked = new Map(pairs.map(([l]) => [l.licenseId, fresh.get(l.licenseId) ?? l]));
    for (const r of answeredAgain) {
      const l = asWalked.get(r.licenseId);
      if (!l) continue;
      const base = { licenseId: l.licenseId, sourceKey: l.sourceKey, target, ledger: ledgerSideOf(l) };
      differences.push(unreadableDifference(r, target, base));
    }
    answeredAgain = [];
  };
  // This pipeline's licenses of `licenseIds` as the ledger holds them now (few: unreadable entries).
  const ownLicenses = async (licenseIds: readonly string[]): Promise<Map<string, LedgerLicenseAtTarget>> =>
    licenseIds.length === 0
      ? new Map()
      : new Map(
          (await ledger.licensesAtTargetByIds(pipeline, target, licenseIds)).map((a) => [a.licenseId, a]),
        );
  const done = (): PlatformCheck => {
    if (awaiting > 0) counts.awaitingDelivery = awaiting;
    for (const [licenseId, d] of options.watched ?? []) {
      if (awaitingWatched.has(licenseId)) d.awaitingAt = [...(d.awaitingAt ?? []), target];
    }
    return { differences, counts };
  };
  const count = (p: PlatformRecord): void => {
    // An unreadable entry has no status to count: it is reported as a difference instead.
    if (p.unreadable) return;
    counts.total += 1;
    counts.byStatus[p.status] = (counts.byStatus[p.status] ?? 0) + 1;
  };

  if (!adapter.list) {
    if (!lookupOwn) throw new Error(`target ${target}: it offers neither list nor lookup`);
    for await (const page of licensesAtTargetPages(ledger, pipeline, target, options.pageSize)) {
      // A lookup is given no signal: a check told to stop stops here, at the next page.
      options.signal?.throwIfAborted();
      // An answer whose licenseId has white space around the id asked was kept under the padded id
      // and the license taken for absent (missing-at-platform, re-sent): it is unreadable, as listed.
      const found = new Map((await lookupOwn(page.map((l) => l.licenseId))).map((r) => [r.licenseId, r]));
      // Asked after the ledger's page was read: never behind it.
      const pairs = page.map((l): Walked => [l, found.get(l.licenseId), Number.POSITIVE_INFINITY]);
      await compareAll(pairs);
    }
    options.onProgress?.(compared);
    return done();
  }

  const listing = adapter.list({
    chunkSize: options.pageSize,
    ...(options.signal ? { signal: options.signal } : {}),
  });
  // The read that showed the listing's end: it answers for every ledger license walked after it.
  let listingEnd = 0;
  const platformIt = flatten(
    order.marked(listing, (read) => {
      listingEnd = read;
    }),
  )[Symbol.asyncIterator]();
  const ledgerIt = flatten(order.marked(licensesAtTargetPages(ledger, pipeline, target, options.pageSize)))[
    Symbol.asyncIterator
  ]();
  // The merge below holds only if the listing comes in strictly rising byte order (listing-order.ts).
  const listed = new ListingOrder(target);
  // Entries naming no license cannot be placed in the merge nor told to be another pipeline's:
  // each is reported here, by its place in the listing.
  const unplaced: PlatformRecord[] = [];
  const nextPlatform = async (): Promise<PlatformRecord | undefined> => {
    for (;;) {
      const r = await platformIt.next();
      // A listing that ends when stopped, rather than failing, ended part-way: taken for its end,
      // every license past the stop was missing at the platform, re-sent by a repair.
      if (r.done) {
        options.signal?.throwIfAborted();
        return undefined;
      }
      const entry = ownPadded(r.value, options.licensePrefix) ?? r.value;
      if (entry.unreadable && entry.licenseId === '') {
        unplaced.push(entry);
        continue;
      }
      if (!entry.licenseId.startsWith(options.licensePrefix)) continue;
      // A second record of the license listed last is its unreadable entry, named by it.
      const placed = entry.unreadable?.namedByContent ? entry : listed.place(entry);
      if (placed.unreadable?.namedByContent) {
        const named = namedByContent.get(placed.licenseId);
        if (named) named.push(placed);
        else namedByContent.set(placed.licenseId, [placed]);
        continue;
      }
      return placed;
    }
  };
  // Pairs walked, compared a page at a time (compareAll) so that those the platform is ahead on are
  // read again in one query. Compared before platform licenses are settled, the differences come in
  // the order of the walk.
  let walked: Walked[] = [];
  const compareWalked = async (): Promise<void> => {
    const pairs = walked;
    walked = [];
    await compareAll(pairs);
  };
  // Platform licenses this pipeline's ledger pages do not hold, a page of them at a time: those the
  // ledger holds under another pipeline (one of the same license type and issuer) are that
  // pipeline's to compare, neither counted nor reported here; the rest are unknown to the ledger.
  let notOurs: PlatformRecord[] = [];
  const configured = new Set(options.otherPipelines ?? []);
  const settleNotOurs = async (): Promise<void> => {
    await compareWalked();
    if (notOurs.length === 0) return;
    const heldUnder = await ledger.pipelinesOfLicenses(notOurs.map((r) => r.licenseId));
    const ownUnreadable = await ownLicenses(
      notOurs.filter((r) => r.unreadable && heldUnder.get(r.licenseId) === pipeline).map((r) => r.licenseId),
    );
    for (const r of notOurs) {
      const holder = heldUnder.get(r.licenseId);
      // Held under another pipeline of the config delivering to this platform: its own check
      // compares it. One held under a pipeline no longer in the config or no longer delivering to
      // this platform is compared by none, so it is reported here: serials are derived per pipeline
      // name, and a renamed pipeline issued every license anew while the platform keeps those of the
      // old name (each license twice there).
      const outsideConfig = holder !== undefined && holder !== pipeline;
      if (outsideConfig && configured.has(holder)) continue;
      if (holder === pipeline && r.unreadable) {
        // A second entry of a license the walk met (named by content, beside its readable one), or
        // one of a license committed after the walk passed it: nothing to compare, and a next check
        // meeting the license with its readable entry would leave it out again. Reported here.
        const l = ownUnreadable.get(r.licenseId);
        differences.push(
          unreadableDifference(r, target, {
            licenseId: r.licenseId,
            sourceKey: l?.sourceKey ?? null,
            target,
            ledger: l ? ledgerSideOf(l) : null,
          }),
        );
        continue;
      }
      if (holder === pipeline) {
        // Committed by a run after this pipeline's walk passed its place: the next check compares it.
        count(r);
        continue;
      }
      if (r.unreadable) {
        differences.push(
          unreadableDifference(r, target, { licenseId: r.licenseId, sourceKey: null, target, ledger: null }),
        );
        continue;
      }
      count(r);
      differences.push({
        kind: 'unknown-at-platform',
        licenseId: r.licenseId,
        sourceKey: null,
        target,
        ledger: null,
        platform: {
          version: r.version,
          status: r.status,
          contentHash: r.contentHash ?? null,
          platformId: r.platformId,
        },
        ...(outsideConfig ? { outsideConfig: true as const } : {}),
      });
    }
    notOurs = [];
  };
  let p = await nextPlatform();
  let l = (await ledgerIt.next()).value as LedgerLicenseAtTarget | undefined;
  while (p || l) {
    if (p && (!l || byteOrder(p.licenseId, l.licenseId) < 0)) {
      notOurs.push(p);
      if (notOurs.length >= options.pageSize) await settleNotOurs();
      p = await nextPlatform();
    } else if (l && (!p || byteOrder(l.licenseId, p.licenseId) < 0)) {
      walked.push([l, undefined, p ? order.of(p) : listingEnd]);
      l = (await ledgerIt.next()).value as LedgerLicenseAtTarget | undefined;
    } else if (l && p) {
      walked.push([l, p, order.of(p)]);
      p = await nextPlatform();
      l = (await ledgerIt.next()).value as LedgerLicenseAtTarget | undefined;
    }
    if (walked.length >= options.pageSize) await compareWalked();
  }
  await compareWalked();
  await settleNotOurs();
  // A ledger license missed before its entry named by content was listed became missing-at-platform:
  // that entry is its unreadable answer instead. The others are the platform's alone.
  if (namedByContent.size > 0) {
    for (let i = differences.length - 1; i >= 0; i--) {
      const d = differences[i] as Difference;
      const named = d.kind === 'missing-at-platform' ? namedByContent.get(d.licenseId) : undefined;
      if (!named) continue;
      namedByContent.delete(d.licenseId);
      differences.splice(i, 1, ...named.map((n) => unreadableDifference(n, target, d)));
    }
    // A license awaiting delivery whose entry the platform holds, named by content: that entry is
    // its unreadable answer, as for a license missed. The entries' licenses are read again, a page
    // at a time, and answered in walk (license-id) order; one the ledger holds, owed to the platform
    // as the walk counted it, is counted no longer. None counted, none is read. Read again, a
    // license may stand otherwise than the walk saw it (delivered meanwhile): its entry is reported
    // all the same (below, as one of the platform's), only the count may be one off.
    const left = awaiting > 0 ? [...namedByContent.keys()].sort(byteOrder) : [];
    for (let at = 0; at < left.length && awaiting > 0; at += options.pageSize) {
      const again = await ownLicenses(left.slice(at, at + options.pageSize));
      for (const [licenseId, l] of [...again].sort(([a], [b]) => byteOrder(a, b))) {
        const named = namedByContent.get(licenseId);
        if (!named || !awaitsDelivery(l, undefined)) continue;
        namedByContent.delete(licenseId);
        if (awaiting > 0) awaiting -= 1;
        awaitingWatched.delete(licenseId);
        const base = { licenseId, sourceKey: l.sourceKey, target, ledger: ledgerSideOf(l) };
        for (const n of named) differences.push(unreadableDifference(n, target, base));
      }
    }
    notOurs = [...namedByContent.values()].flat();
    await settleNotOurs();
  }
  for (const r of unplaced) {
    differences.push(
      unreadableDifference(r, target, { licenseId: '', sourceKey: null, target, ledger: null }),
    );
  }
  options.onProgress?.(compared);
  return done();
}

/** licbridge's side of a license in a difference. */
function ledgerSideOf(l: LedgerLicenseAtTarget): NonNullable<Difference['ledger']> {
  return { version: l.version, versionId: l.versionId, status: l.status, contentHash: l.contentHash };
}

/** An entry the platform holds that cannot be read back into a license: why, and where it was listed. */
function unreadableDifference(
  p: PlatformRecord,
  target: string,
  base: Pick<Difference, 'licenseId' | 'sourceKey' | 'target' | 'ledger'>,
): Difference {
  return {
    ...base,
    target,
    kind: 'unreadable-at-platform',
    platform: null,
    unreadable: p.unreadable ?? { reason: 'unreadable' },
  };
}
