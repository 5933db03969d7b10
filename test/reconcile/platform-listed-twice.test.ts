/**
 * A platform holding one license in two records (a re-send it took for a new license, a record
 * copied by hand) lists that license twice, each entry with its own platform id. The platform check
 * took the second for a listing out of license-id order and failed (`listing not in license-id
 * order: X came after X`): no report at all, every check of the pipeline, and a message pointing at
 * the platform's sort order rather than at the license it holds twice. The second entry is now
 * `unreadable-at-platform` under that license, with licbridge's side of it, and only flagged by a
 * repair; the first is compared as ever. The same entry given twice (a page repeated: the same
 * platform id, or none to tell them apart) still fails the check.
 */
import { describe, expect, it } from 'vitest';
import { planRepairs } from '../../pipelines/reconcile/repair.js';
import { platformViews } from '../../pipelines/reconcile/report-view.js';
import { paddedIdFixtures } from './padded-id-fixtures.js';

const { id, held, check } = paddedIdFixtures('TWICE0000');
const REASON = 'the platform lists its license more than once';

describe('a platform listing a license twice, in two records', () => {
  it('reports the second entry under that license and compares the first', async () => {
    const result = await check(
      [0, 1, 2],
      [held(0), held(1), { ...held(1), platformId: 'P1-again' }, held(2)],
    );
    expect(result.differences.map((d) => [d.kind, d.licenseId, d.ledger?.versionId ?? null])).toEqual([
      ['unreadable-at-platform', id(1), 101],
    ]);
    expect(result.differences[0]?.unreadable?.reason).toBe(REASON);
    expect(result.counts.total).toBe(3);
    const report = { all: result.differences, counts: { targets: { province: result.counts } } };
    const views = (lang: 'zh' | 'en') =>
      platformViews(report as never, result.differences[0] as never, lang)[0];
    expect(views('en')?.text).toBe(`unreadable (${REASON})`);
    expect(views('zh')?.text).toBe('无法读取（平台重复列出该证照）');
    const plan = planRepairs(
      { config: { reconcile: { unknownAtPlatform: 'revoke' } } } as never,
      { all: result.differences, reportId: 'r', pipeline: 'p' } as never,
    );
    expect(plan.items.map((i) => i.action)).toEqual(['flag']);
  });

  it('reports the second entry of a license only the platform holds beside its unknown first', async () => {
    const result = await check([0], [held(0), held(3), { ...held(3), platformId: 'P3-again' }]);
    expect(result.differences.map((d) => [d.kind, d.licenseId, d.ledger?.versionId ?? null])).toEqual([
      ['unknown-at-platform', id(3), null],
      ['unreadable-at-platform', id(3), null],
    ]);
  });

  it('keeps the reason an adapter gave a second record it could not read', async () => {
    const again = {
      ...held(1),
      platformId: 'P1-again',
      version: 0,
      unreadable: { reason: 'its version is not a number' as const, position: 3 },
    };
    const result = await check([0, 1], [held(0), held(1), again]);
    expect(result.differences.map((d) => [d.kind, d.licenseId, d.unreadable?.reason])).toEqual([
      ['unreadable-at-platform', id(1), 'its version is not a number'],
    ]);
    expect(result.differences[0]?.unreadable?.position).toBe(3);
  });

  it('still fails on the same entry given twice', async () => {
    await expect(check([0, 1], [held(0), held(1), held(1)])).rejects.toThrow(/not in license-id order/);
    await expect(
      check([0, 1], [held(0), { ...held(1), platformId: null }, { ...held(1), platformId: null }]),
    ).rejects.toThrow(/not in license-id order/);
  });
});
