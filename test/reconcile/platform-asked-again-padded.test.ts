/**
 * A license whose ledger page was read after the listing page that answers for it, the platform
 * listing an older version, is asked of the platform again (read-order.ts). An answer naming it with
 * white space around its licenseId was kept under the padded id and the license taken for absent
 * there: `missing-at-platform`, though the platform lists it. Such an answer is unreadable, as in a
 * listing, and proves no delivery: the license is compared as the listing showed it.
 */
import { describe, expect, it } from 'vitest';
import type { PlatformRecord, TargetAdapter } from '../../adapters/platforms/target.js';
import { checkPlatform } from '../../pipelines/reconcile/platform-side.js';
import { paddedIdFixtures } from './padded-id-fixtures.js';

const { PREFIX, id, held, ledgerWith, listing } = paddedIdFixtures('PADDEDAGAIN00000');

describe('a license asked of the platform again, answered under a padded licenseId', () => {
  it('is compared as the listing showed it, not as absent', async () => {
    // The ledger holds license 2 in version 2, delivered and accepted; the platform lists version 1.
    const ledger = ledgerWith({ version: 2, deliveryKey: `${id(2)}:2:province` });
    let asked: string[] = [];
    const adapter = listing([held(0), held(1), held(2)]) as TargetAdapter & {
      lookup: (ids: readonly string[]) => Promise<PlatformRecord[]>;
    };
    adapter.lookup = async (ids) => {
      asked = [...ids];
      return ids.map((i) => ({ ...held(2), licenseId: ` ${i}` }));
    };
    const result = await checkPlatform({
      ledger,
      pipeline: 'p',
      adapter,
      licensePrefix: PREFIX,
      pageSize: 1,
    });
    expect(asked).toContain(id(2));
    const of2 = result.differences.filter((d) => d.licenseId === id(2));
    expect(of2.map((d) => [d.kind, d.platform?.version ?? null])).not.toContainEqual([
      'missing-at-platform',
      null,
    ]);
    expect(of2.length).toBeGreaterThan(0);
    expect(of2.every((d) => d.platform?.version === 1)).toBe(true);
  });
});
