/**
 * An entry the platform lists that cannot be read back, naming a license the ledger holds under
 * the pipeline checked, which the walk of the ledger did not answer with it: a second entry, named
 * by its content, beside the license's readable one; or one for a license a run committed after the
 * walk passed its place. Each was taken for a license committed meanwhile and left to the next
 * check, which only counts readable entries: dropped without a word, check after check. Each is now
 * an `unreadable-at-platform` difference with licbridge's side of its license.
 */
import { describe, expect, it } from 'vitest';
import type { PlatformRecord, TargetAdapter } from '../../adapters/platforms/target.js';
import type { LedgerLicenseAtTarget } from '../../ledger/audit-types.js';
import type { Ledger } from '../../ledger/ledger.js';
import { checkPlatform } from '../../pipelines/reconcile/platform-side.js';

const PREFIX = '1.2.156.3005.2.11370200MB12345674001.11370211MB12345672.';
const id = (n: number) => `${PREFIX}K4Y975IEPO1UZ9OZS7V${n}`;
const HASH = 'a'.repeat(64);

function atLedger(n: number): LedgerLicenseAtTarget {
  return {
    licenseId: id(n),
    sourceKey: `row-${n}`,
    version: 1,
    versionId: 100 + n,
    contentHash: HASH,
    status: 'valid',
    deliveryKey: `${id(n)}:1:province`,
    deliveryState: 'accepted',
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

function unreadable(n: number, position: number, namedByContent: boolean): PlatformRecord {
  return {
    licenseId: id(n),
    identifier: '',
    version: 0,
    status: '' as PlatformRecord['status'],
    platformId: null,
    unreadable: {
      reason: 'its version is not a number',
      position,
      ...(namedByContent ? { namedByContent: true as const } : {}),
    },
  };
}

/** The ledger's licenses of pipeline `food`: `walked` as its pages give them, `committed` too once the walk is done. */
function ledgerOf(walked: number[], committed: number[] = []): Ledger {
  const pages = walked.map(atLedger);
  const all = [...walked, ...committed].map(atLedger);
  return {
    async licensesAtTarget(_p: string, _t: string, after: string, limit: number) {
      return pages.filter((r) => r.licenseId > after).slice(0, limit);
    },
    async licensesAtTargetByIds(_p: string, _t: string, ids: readonly string[]) {
      return all.filter((r) => ids.includes(r.licenseId));
    },
    async pipelinesOfLicenses(ids: readonly string[]) {
      return new Map(all.filter((r) => ids.includes(r.licenseId)).map((r) => [r.licenseId, 'food']));
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

describe('an unreadable platform entry of a license the checked pipeline holds, not met by the walk', () => {
  it('is reported when the license has a readable entry too', async () => {
    const result = await check(ledgerOf([1, 5]), [[held(1), held(5)], [unreadable(5, 3, true)]]);
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
    const result = await check(ledgerOf([1, 5], [2]), [[held(1), unreadable(2, 2, byContent)], [held(5)]]);
    expect(result.differences.map((d) => [d.kind, d.licenseId, d.ledger?.versionId, d.sourceKey])).toEqual([
      ['unreadable-at-platform', id(2), 102, 'row-2'],
    ]);
    expect(result.counts.total).toBe(2);
  });

  it('leaves a readable entry of a license committed after the walk passed it to the next check', async () => {
    const result = await check(ledgerOf([1, 5], [2]), [[held(1), held(2)], [held(5)]]);
    expect(result.differences).toEqual([]);
    expect(result.counts.total).toBe(3);
  });
});
