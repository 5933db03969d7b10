/**
 * A check of a target newly added to a large ledger finds every license awaiting delivery there.
 * Each was kept in a map until the end of the walk, to be matched with an entry the platform lists
 * by content only after the walk passed it: one entry per license, ~200 MB a million. The check
 * now holds no collection of more than a page of licenses, whatever the ledger's size; such an
 * entry is still its license's unreadable answer, and a license the report shows is still named
 * awaiting delivery there.
 */
import { describe, expect, it } from 'vitest';
import type { PlatformRecord, TargetAdapter } from '../../adapters/platforms/target.js';
import type { LedgerLicenseAtTarget } from '../../ledger/audit-types.js';
import type { Ledger } from '../../ledger/ledger.js';
import { checkPlatform } from '../../pipelines/reconcile/platform-side.js';
import type { Difference } from '../../pipelines/reconcile/types.js';

const PREFIX = '1.2.156.3005.2.11370200MB12345674001.11370211MB12345672.';
const id = (n: number) => `${PREFIX}K4Y975IEPO1UZ9OZS${String(n).padStart(3, '0')}`;
const LICENSES = 60;
const PAGE = 5;

function atLedger(n: number, deliveryState: string | null = null): LedgerLicenseAtTarget {
  return {
    licenseId: id(n),
    sourceKey: `row-${n}`,
    version: 1,
    versionId: 100 + n,
    contentHash: 'a'.repeat(64),
    status: 'valid',
    deliveryKey: `${id(n)}:1:city`,
    // The target was added to the pipeline since: no delivery made there yet (`null`).
    deliveryState,
  };
}

// The last one delivered there already, and listed; the others owed.
const rows = Array.from({ length: LICENSES }, (_, i) =>
  atLedger(i + 1, i + 1 === LICENSES ? 'accepted' : null),
);
const last: PlatformRecord = {
  licenseId: id(LICENSES),
  identifier: `${id(LICENSES)}.1`,
  version: 1,
  status: 'valid',
  platformId: 'P60',
  contentHash: 'a'.repeat(64),
};
const ledger = {
  async licensesAtTarget(_p: string, _t: string, after: string, limit: number) {
    return rows.filter((r) => r.licenseId > after).slice(0, limit);
  },
  async licensesAtTargetByIds(_p: string, _t: string, ids: readonly string[]) {
    return rows.filter((r) => ids.includes(r.licenseId));
  },
  async pipelinesOfLicenses(ids: readonly string[]) {
    return new Map(rows.filter((r) => ids.includes(r.licenseId)).map((r) => [r.licenseId, 'food']));
  },
} as unknown as Ledger;

/** Listed last, after the walk passed its license: an entry the platform names by its content only. */
const named: PlatformRecord = {
  licenseId: id(7),
  identifier: '',
  version: 0,
  status: '' as PlatformRecord['status'],
  platformId: null,
  unreadable: { reason: 'its version is not a number', position: 1, namedByContent: true },
};

/**
 * Runs `work` with every Map and Set made meanwhile counting its license-id entries: the most any
 * one of them held at once.
 */
async function mostHeld<T>(work: () => Promise<T>): Promise<{ result: T; most: number }> {
  const { Map: OwnMap, Set: OwnSet } = globalThis;
  let most = 0;
  const seen = (size: number, key: unknown) => {
    if (typeof key === 'string' && key.startsWith(PREFIX)) most = Math.max(most, size);
  };
  class CountingMap<K, V> extends OwnMap<K, V> {
    override set(key: K, value: V): this {
      super.set(key, value);
      seen(this.size, key);
      return this;
    }
  }
  class CountingSet<V> extends OwnSet<V> {
    override add(value: V): this {
      super.add(value);
      seen(this.size, value);
      return this;
    }
  }
  Object.assign(globalThis, { Map: CountingMap, Set: CountingSet });
  try {
    return { result: await work(), most };
  } finally {
    Object.assign(globalThis, { Map: OwnMap, Set: OwnSet });
  }
}

describe('a check of a target holding none of a ledger’s licenses yet', () => {
  it('holds a page of them at most, and still answers an entry named by content listed last', async () => {
    const shown = { kind: 'content-mismatch', licenseId: id(3) } as Difference;
    const { result, most } = await mostHeld(() =>
      checkPlatform({
        ledger,
        pipeline: 'food',
        adapter: {
          name: 'city',
          async *list() {
            // Read on only once the walk reaches the last license: the entry after it comes late.
            yield [last];
            yield [named];
          },
        } as unknown as TargetAdapter,
        licensePrefix: PREFIX,
        pageSize: PAGE,
        watched: new Map([[id(3), shown]]),
      }),
    );
    expect(most).toBeGreaterThan(0);
    expect(most).toBeLessThanOrEqual(PAGE);
    expect(result.differences.map((d) => [d.kind, d.licenseId, d.ledger?.versionId])).toEqual([
      ['unreadable-at-platform', id(7), 107],
    ]);
    // All but the one delivered and the one answered by its entry named by content.
    expect(result.counts.awaitingDelivery).toBe(LICENSES - 2);
    expect(shown.awaitingAt).toEqual(['city']);
  });
});
