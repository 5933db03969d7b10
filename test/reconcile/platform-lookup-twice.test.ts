/**
 * A target without a listing is asked for the ledger's licenses by id (`lookup`). One whose answer
 * held two records of one license (a re-send the platform took for a new license, a record copied
 * by hand) had the last kept and the other dropped without a word: a second record the platform
 * holds was never reported, and whichever came last was compared as the license it holds. Listed
 * so, the second record is `unreadable-at-platform` (platform-listed-twice); asked by id it now is
 * too: the first readable record is compared, each other one is reported under the license, with
 * licbridge's side of it, and a repair only flags it. A record the adapter could not read keeps the
 * reason it gave.
 */
import { describe, expect, it } from 'vitest';
import type { PlatformRecord, TargetAdapter } from '../../adapters/platforms/target.js';
import { checkPlatform } from '../../pipelines/reconcile/platform-side.js';
import { paddedIdFixtures, planned, shown } from './padded-id-fixtures.js';

const { PREFIX, id, held, ledgerHolding, ledgerWith, listing } = paddedIdFixtures('LOOKUPTWICE000000');
const TWICE = 'the platform lists its license more than once';

/** A target that answers by id only, with the records `answers` holds for each id asked. */
function lookupOnly(answers: Map<string, PlatformRecord[]>): TargetAdapter {
  return {
    name: 'province',
    async lookup(licenseIds: readonly string[]) {
      return licenseIds.flatMap((i) => answers.get(i) ?? []);
    },
  } as unknown as TargetAdapter;
}

const checkAnswering = (answers: Map<string, PlatformRecord[]>) =>
  checkPlatform({
    ledger: ledgerHolding([0, 1, 2]),
    pipeline: 'p',
    adapter: lookupOnly(answers),
    licensePrefix: PREFIX,
    pageSize: 100,
  });

describe('a lookup answering two records of one license', () => {
  it('compares the first and reports the second under the license, only flagged', async () => {
    const result = await checkAnswering(
      new Map([
        [id(0), [held(0)]],
        [id(1), [held(1), { ...held(1), platformId: 'P1-again', contentHash: 'hash-other' }]],
        [id(2), [held(2)]],
      ]),
    );
    expect(shown(result.differences)).toEqual([['unreadable-at-platform', id(1), 101]]);
    expect(result.differences[0]?.unreadable?.reason).toBe(TWICE);
    expect(planned(result.differences)).toEqual([['flag', id(1)]]);
    expect(result.counts.total).toBe(3);
  });

  it('compares the readable record when the one before it could not be read, keeping its reason', async () => {
    const unreadable: PlatformRecord = {
      ...held(1),
      platformId: 'P1-again',
      version: 0,
      unreadable: { reason: 'its version is not a number' },
    };
    const result = await checkAnswering(
      new Map([
        [id(0), [held(0)]],
        [id(1), [unreadable, { ...held(1), contentHash: 'hash-other' }]],
        [id(2), [held(2)]],
      ]),
    );
    expect(result.differences.map((d) => [d.kind, d.licenseId, d.unreadable?.reason ?? null])).toEqual([
      ['platform-content-mismatch', id(1), null],
      ['unreadable-at-platform', id(1), 'its version is not a number'],
    ]);
    expect(result.counts.total).toBe(3);
  });

  it('reports the second record of a license a listing check asks again, as a lookup-only one does', async () => {
    // The ledger holds license 2 in version 2, delivered and accepted; the platform lists version 1,
    // and asked again (read-order.ts) answers version 2 in two records.
    const ledger = ledgerWith({ version: 2, deliveryKey: `${id(2)}:2:province` });
    const adapter = listing([held(0), held(1), held(2)]) as TargetAdapter & {
      lookup: (ids: readonly string[]) => Promise<PlatformRecord[]>;
    };
    let asked: string[] = [];
    adapter.lookup = async (ids) => {
      asked = [...ids];
      const now = { ...held(2), version: 2 };
      return ids.includes(id(2)) ? [now, { ...now, platformId: 'P2-again' }] : [];
    };
    const result = await checkPlatform({
      ledger,
      pipeline: 'p',
      adapter,
      licensePrefix: PREFIX,
      pageSize: 1,
    });
    expect(asked).toContain(id(2));
    expect(result.differences.map((d) => [d.kind, d.licenseId, d.unreadable?.reason ?? null])).toEqual([
      ['unreadable-at-platform', id(2), TWICE],
    ]);
  });
});
