/**
 * The order a platform's listing must come in for the platform check's merge (platform-side.ts):
 * strictly rising license-id byte order, as the ledger's pages come. A platform sorting by another
 * collation, or a page given twice, would make one license both missing at the platform and unknown
 * to the ledger: such a listing fails the check. Compared by byteOrder, never by `<` (UTF-16 code
 * units, another order past U+D800).
 *
 * One license listed again right after itself under another platform id is not a page given twice:
 * the platform holds that license in two records (a re-send it took for a new license, a record
 * copied by hand). Refused as out of order, no check of the pipeline ever finished, and the message
 * blamed the platform's sort order. The second record is that license's unreadable entry instead,
 * reported with licbridge's side of it, and the first compared as ever.
 */
import type { PlatformRecord } from '../../adapters/platforms/target.js';
import { UNREADABLE_REASONS } from '../../adapters/platforms/unreadable-reasons.js';
import { ErrorCodes, LicbridgeError } from '../../core/errors.js';
import { byteOrder } from './byte-order.js';

export class ListingOrder {
  readonly #target: string;
  #last: string | undefined;
  /** The platform ids the license listed last came under: a repeated one is a page given twice. */
  #platformIds = new Set<string>();

  constructor(target: string) {
    this.#target = target;
  }

  /**
   * `entry` as the merge takes it: itself, or a second record of the license listed last, marked
   * unreadable and named by that license (matched with it after the merge). Throws on an entry out
   * of order, or the same entry again (the same platform id, or none on either to tell them apart).
   */
  place(entry: PlatformRecord): PlatformRecord {
    if (this.#last !== undefined) {
      const order = byteOrder(entry.licenseId, this.#last);
      const another =
        order === 0 &&
        entry.platformId !== null &&
        this.#platformIds.size > 0 &&
        !this.#platformIds.has(entry.platformId);
      if (another && entry.platformId !== null) {
        this.#platformIds.add(entry.platformId);
        // An entry unreadable already keeps the reason its adapter gave.
        return {
          ...entry,
          unreadable: { reason: UNREADABLE_REASONS.listedTwice, ...entry.unreadable, namedByContent: true },
        };
      }
      if (order <= 0) {
        throw new LicbridgeError(
          ErrorCodes.TARGET_REJECTED,
          `target ${this.#target}: listing not in license-id order: ${entry.licenseId} came after ${this.#last}; licenses cannot be compared with it`,
          { context: { target: this.#target } },
        );
      }
    }
    this.#last = entry.licenseId;
    this.#platformIds = new Set(entry.platformId === null ? [] : [entry.platformId]);
    return entry;
  }
}
