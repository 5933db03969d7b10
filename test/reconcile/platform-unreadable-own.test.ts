/**
 * An entry the platform lists that cannot be read back, naming a license the ledger holds under
 * the pipeline checked, which the walk of the ledger did not answer with it: a second entry, named
 * by its content, beside the license's readable one; or one for a license a run committed after the
 * walk passed its place. Each was taken for a license committed meanwhile and left to the next
 * check, which only counts readable entries: dropped without a word, check after check. Each is now
 * an `unreadable-at-platform` difference with licbridge's side of its license.
 */
import { describe, expect, it } from 'vitest';
import type { PlatformRecord } from '../../adapters/platforms/target.js';
import type { Ledger } from '../../ledger/ledger.js';
import {
  atLedger,
  checkAgainst,
  held,
  id,
  ledgerOf,
  listing,
  unreadableEntry,
} from './platform-check-fixture.js';

const unreadable = (n: number, position: number, namedByContent: boolean) =>
  unreadableEntry(n, position, 'its version is not a number', namedByContent);

/** The ledger's licenses of pipeline `food`: `walked` as its pages give them, `committed` too once the walk is done. */
const ledgerWith = (walked: number[], committed: number[] = []) =>
  ledgerOf(
    walked.map((n) => atLedger(n)),
    { committed: committed.map((n) => atLedger(n)) },
  );

const check = (ledger: Ledger, pages: PlatformRecord[][]) => checkAgainst(ledger, listing(pages));

describe('an unreadable platform entry of a license the checked pipeline holds, not met by the walk', () => {
  it('is reported when the license has a readable entry too', async () => {
    const result = await check(ledgerWith([1, 5]), [[held(1), held(5)], [unreadable(5, 3, true)]]);
    expect(result.differences.map((d) => [d.kind, d.licenseId, d.ledger?.versionId, d.sourceKey])).toEqual([
      ['unreadable-at-platform', id(5), 105, 'row-5'],
    ]);
    expect(result.differences[0]?.unreadable).toEqual({
      reason: 'its version is not a number',
      position: 3,
      namedByContent: true,
    });
    expect(result.counts.total).toBe(2);
  });

  it.each([
    ['named by its content', true],
    ['in license-id order', false],
  ])('is reported when the license was committed after the walk passed it (%s)', async (_how, byContent) => {
    // License 2 was committed once the walk had read the page holding 1 and 5.
    const result = await check(ledgerWith([1, 5], [2]), [[held(1), unreadable(2, 2, byContent)], [held(5)]]);
    expect(result.differences.map((d) => [d.kind, d.licenseId, d.ledger?.versionId, d.sourceKey])).toEqual([
      ['unreadable-at-platform', id(2), 102, 'row-2'],
    ]);
    expect(result.counts.total).toBe(2);
  });

  it('leaves a readable entry of a license committed after the walk passed it to the next check', async () => {
    const result = await check(ledgerWith([1, 5], [2]), [[held(1), held(2)], [held(5)]]);
    expect(result.differences).toEqual([]);
    expect(result.counts.total).toBe(3);
  });
});
