/**
 * Two entries the platform lists for one license, neither of which can be read back and both named
 * only by their license's `zzbs` (no `licenseId`): each is an entry the platform holds, and an
 * entry that cannot be read back is never left out (docs/reconciliation.md). They were kept by
 * license id, one in place of the other, so the report named one listing position and the other
 * entry was dropped without a word, check after check.
 */
import { describe, expect, it } from 'vitest';
import type { PlatformRecord, TargetAdapter } from '../../adapters/platforms/target.js';
import type { LedgerLicenseAtTarget } from '../../ledger/audit-types.js';
import type { Ledger } from '../../ledger/ledger.js';
import { checkPlatform } from '../../pipelines/reconcile/platform-side.js';

const PREFIX = '1.2.156.3005.2.11370200MB12345674001.11370211MB12345672.';
const id = (n: number) => `${PREFIX}K4Y975IEPO1UZ9OZS7V${n}`;
const HASH = 'a'.repeat(64);

function atLedger(n: number, deliveryState: string | null = 'accepted'): LedgerLicenseAtTarget {
  return {
    licenseId: id(n),
    sourceKey: `row-${n}`,
    version: 1,
    versionId: 100 + n,
    contentHash: HASH,
    status: 'valid',
    deliveryKey: `${id(n)}:1:province`,
    deliveryState,
  };
}

function held(n: number): PlatformRecord {
  return {
    licenseId: id(n),
    identifier: `${id(n)}.1`,
    version: 1,
    status: 'valid',
    platformId: `P${n}`,
    contentHash: HASH,
  };
}

function namedByContent(n: number, position: number): PlatformRecord {
  return {
    licenseId: id(n),
    identifier: '',
    version: 0,
    status: '' as PlatformRecord['status'],
    platformId: null,
    unreadable: { reason: 'it has no licenseId', position, namedByContent: true },
  };
}

function ledgerOf(licenses: LedgerLicenseAtTarget[]): Ledger {
  return {
    async licensesAtTarget(_p: string, _t: string, after: string, limit: number) {
      return licenses.filter((r) => r.licenseId > after).slice(0, limit);
    },
    async licensesAtTargetByIds(_p: string, _t: string, ids: readonly string[]) {
      return licenses.filter((r) => ids.includes(r.licenseId));
    },
    async pipelinesOfLicenses(ids: readonly string[]) {
      return new Map(licenses.filter((r) => ids.includes(r.licenseId)).map((r) => [r.licenseId, 'food']));
    },
  } as unknown as Ledger;
}

async function check(ledger: Ledger, listing: PlatformRecord[][]) {
  return checkPlatform({
    ledger,
    pipeline: 'food',
    adapter: {
      name: 'province',
      async *list() {
        yield* listing;
      },
    } as unknown as TargetAdapter,
    licensePrefix: PREFIX,
    pageSize: 2,
  });
}

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
    const result = await check(ledgerOf([atLedger(1, 'pending'), atLedger(5)]), [
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
