/**
 * A license whose ledger page was read after the listing page that answers for it, the platform
 * listing an older version, is asked of the platform again (read-order.ts) and compared as the
 * platform answers now. It was counted at the platform as the listing showed it, though: the target's
 * counts by status held the listed version's status (a license revoked since, `valid`) while the
 * comparison used the answer's (`revoked`, agreeing with the ledger). A report showed the platform
 * holding more valid licenses than the ledger, with no difference to account for them; and one the
 * platform no longer held when asked again was counted there and reported `missing-at-platform`. A
 * license is now counted at the platform as it is compared.
 */
import { describe, expect, it } from 'vitest';
import type { PlatformRecord, TargetAdapter } from '../../adapters/platforms/target.js';
import type { Ledger } from '../../ledger/ledger.js';
import { checkPlatform } from '../../pipelines/reconcile/platform-side.js';
import { paddedIdFixtures } from './padded-id-fixtures.js';

const { PREFIX, id, held, ledgerWith, listing } = paddedIdFixtures('ASKEDCOUNTS00000');

/** `ledger` checked against a platform listing licenses 0-2 in version 1 that answers `now` asked again. */
async function checkAskingAgain(ledger: Ledger, now: PlatformRecord[]) {
  const adapter = listing([held(0), held(1), held(2)]) as TargetAdapter & {
    lookup: (ids: readonly string[]) => Promise<PlatformRecord[]>;
  };
  const asked: string[] = [];
  adapter.lookup = async (ids) => {
    asked.push(...ids);
    return now.filter((r) => ids.includes(r.licenseId));
  };
  const result = await checkPlatform({
    ledger,
    pipeline: 'p',
    adapter,
    licensePrefix: PREFIX,
    pageSize: 1,
  });
  expect(asked).toContain(id(2));
  return result;
}

describe('a license asked of the platform again', () => {
  it('is counted at the platform in the status it is compared in', async () => {
    // The ledger holds license 2 revoked in version 2; the platform lists version 1, valid, and
    // asked again answers version 2, revoked.
    const ledger = ledgerWith({ version: 2, status: 'revoked', deliveryKey: `${id(2)}:2:province` });
    const result = await checkAskingAgain(ledger, [{ ...held(2), version: 2, status: 'revoked' }]);
    expect(result.differences).toEqual([]);
    expect(result.counts).toEqual({ total: 3, byStatus: { valid: 2, revoked: 1 } });
  });

  it('is not counted at the platform when it is missing there now', async () => {
    const ledger = ledgerWith({ version: 2, deliveryKey: `${id(2)}:2:province` });
    const result = await checkAskingAgain(ledger, []);
    expect(result.differences.map((d) => [d.kind, d.licenseId])).toEqual([['missing-at-platform', id(2)]]);
    expect(result.counts).toEqual({ total: 2, byStatus: { valid: 2 } });
  });
});
