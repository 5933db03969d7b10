/**
 * Two entries the platform lists for one license, neither of which can be read back and both named
 * only by their license's `zzbs` (no `licenseId`): each is an entry the platform holds, and an
 * entry that cannot be read back is never left out (docs/reconciliation.md). They were kept by
 * license id, one in place of the other, so the report named one listing position and the other
 * entry was dropped without a word, check after check.
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

const namedByContent = (n: number, position: number) =>
  unreadableEntry(n, position, 'it has no licenseId', true);

const check = (ledger: Ledger, pages: PlatformRecord[][]) => checkAgainst(ledger, listing(pages));

/** The unreadable differences of license `n`, by listing position. */
const positionsOf = (differences: Awaited<ReturnType<typeof check>>['differences'], n: number) =>
  differences
    .filter((d) => d.kind === 'unreadable-at-platform' && d.licenseId === id(n))
    .map((d) => [d.unreadable?.position, d.ledger?.versionId]);

describe('two unreadable entries of one license, named by its content', () => {
  it('are both reported when listed before the walk meets the license', async () => {
    const result = await check(ledgerOf([atLedger(1), atLedger(5)]), [
      [namedByContent(1, 1), namedByContent(1, 2)],
      [held(5)],
    ]);
    expect(positionsOf(result.differences, 1)).toEqual([
      [1, 101],
      [2, 101],
    ]);
    expect(result.differences.filter((d) => d.kind !== 'unreadable-at-platform')).toEqual([]);
  });

  it('are both reported when listed after the walk passed the license', async () => {
    const result = await check(ledgerOf([atLedger(1), atLedger(5)]), [
      [held(5), namedByContent(1, 2)],
      [namedByContent(1, 3)],
    ]);
    expect(positionsOf(result.differences, 1)).toEqual([
      [2, 101],
      [3, 101],
    ]);
    expect(result.differences.filter((d) => d.kind !== 'unreadable-at-platform')).toEqual([]);
  });

  it('are both reported beside the license’s readable entry', async () => {
    const result = await check(ledgerOf([atLedger(1), atLedger(5)]), [
      [namedByContent(1, 1), held(1)],
      [namedByContent(1, 3), held(5)],
    ]);
    expect(positionsOf(result.differences, 1)).toEqual([
      [1, 101],
      [3, 101],
    ]);
    expect(result.counts.total).toBe(2);
  });

  it('are both reported for a license awaiting delivery there', async () => {
    const result = await check(ledgerOf([atLedger(1, { deliveryState: 'pending' }), atLedger(5)]), [
      [held(5), namedByContent(1, 2)],
      [namedByContent(1, 3)],
    ]);
    expect(positionsOf(result.differences, 1)).toEqual([
      [2, 101],
      [3, 101],
    ]);
    expect(result.counts.awaitingDelivery).toBeUndefined();
  });
});
