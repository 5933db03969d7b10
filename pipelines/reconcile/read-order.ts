/**
 * Which of a platform check's two sides was read first, for each pair it compares. The walk reads
 * the ledger's pages and the platform's listing pages as the merge needs them, so a license's
 * ledger page may come before or after the listing page that answers for it. Read after, the
 * ledger may hold a delivery the platform took between the two reads: the listing page lacks the
 * license (or holds its earlier version) while the ledger's page has it delivered, and the pair,
 * compared as read, is a difference neither side has (`missing-at-platform`, re-sent by a repair).
 * Such pairs are asked of the platform again (askedAgain) before they are compared. Read the other
 * way round, the platform is the one ahead: platform-side.ts reads those licenses of the ledger again.
 */
import type { PlatformRecord } from '../../adapters/platforms/target.js';
import type { LedgerLicenseAtTarget } from '../../ledger/audit-types.js';
import { awaitsDelivery } from './awaiting-delivery.js';

/**
 * A ledger license walked, the platform's entry for it (none when the platform lacks it), and the
 * read (ReadOrder) that answered for the platform: the listing page the entry came in, or that
 * showed it absent. `Infinity`: the platform was asked after the ledger's page was read.
 */
export type Walked = readonly [LedgerLicenseAtTarget, PlatformRecord | undefined, number];

/** Numbers the reads of both sides in the order they were answered, and what each brought. */
export class ReadOrder {
  #reads = 0;
  readonly #at = new WeakMap<object, number>();

  /**
   * `pages` with each item marked by the read that brought it. `onEnd` is given, when the pages end,
   * the read that showed their end: the last page's (a source that ends on a short page reads no
   * more), or, when none came, the read that found none.
   */
  async *marked<T extends object>(
    pages: AsyncIterable<T[]>,
    onEnd?: (read: number) => void,
  ): AsyncIterable<T[]> {
    let last = 0;
    for await (const page of pages) {
      this.#reads += 1;
      last = this.#reads;
      for (const item of page) this.#at.set(item, last);
      yield page;
    }
    this.#reads += 1;
    onEnd?.(last === 0 ? this.#reads : last);
  }

  /** The read that brought `item`; 0 for one no read of this order brought. */
  of(item: object): number {
    return this.#at.get(item) ?? 0;
  }
}

/**
 * `pairs` with the platform asked again for each whose ledger page was read after the platform's
 * answer for it, when the ledger holds a delivered version the platform's answer lacks (a
 * license owed to the platform, awaiting delivery, is no difference anyway). Without `lookup` the
 * pairs stand as read.
 * Asked after the ledger's page, the platform is the side read last: holding a later version than
 * that page, it is read again from the ledger as any pair the platform is ahead on.
 */
export async function askedAgain(
  pairs: readonly Walked[],
  order: ReadOrder,
  lookup: ((licenseIds: readonly string[]) => Promise<PlatformRecord[]>) | undefined,
): Promise<readonly Walked[]> {
  const late = (w: Walked): boolean => {
    const [l, p, answered] = w;
    if (order.of(l) <= answered || awaitsDelivery(l, p)) return false;
    return p === undefined || (!p.unreadable && p.version < l.version);
  };
  const ask = pairs.filter(late).map(([l]) => l.licenseId);
  if (!lookup || ask.length === 0) return pairs;
  const now = new Map((await lookup(ask)).map((r) => [r.licenseId, r]));
  return pairs.map((w): Walked => {
    if (!late(w)) return w;
    const [l] = w;
    const r = now.get(l.licenseId);
    // An answer that cannot be read back says nothing of a delivery: the pair stands as listed, and
    // an entry the listing names by content is matched with it as ever (platform-side.ts).
    if (r?.unreadable) return w;
    return [l, r, Number.POSITIVE_INFINITY];
  });
}
