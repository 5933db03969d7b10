/**
 * A platform entry whose licenseId has white space before it (` 1.2.156.3005.2.…`, a tab, an
 * ideographic space) does not start with the pipeline's license-id prefix, so the platform check
 * took it for another issuer's license and left it out: an entry only the platform held so was never
 * reported, and the license it names showed as `missing-at-platform`, re-sent by a repair. Such an
 * entry is now `unreadable-at-platform` under the license it names, matched with the ledger's
 * license of that id wherever the platform lists it. Another issuer's entry is still left out.
 */
import { describe, expect, it } from 'vitest';
import { planRepairs } from '../../pipelines/reconcile/repair.js';
import { platformViews } from '../../pipelines/reconcile/report-view.js';
import { paddedIdFixtures } from './padded-id-fixtures.js';

const { others, serial, id, held, check } = paddedIdFixtures('PADDEDID00000');

describe.each([
  ['a space', ' '],
  ['a tab', '\t'],
  ['an ideographic space', '\u3000'],
])('a platform entry whose licenseId has %s before it', (_name, pad) => {
  it('is reported when only the platform holds its license', async () => {
    const result = await check([0], [held(0), held(3, `${pad}${id(3)}`)]);
    expect(result.differences.map((d) => [d.kind, d.licenseId, d.ledger?.versionId ?? null])).toEqual([
      ['unreadable-at-platform', id(3), null],
    ]);
    expect(result.differences[0]?.unreadable?.reason).toBe('its licenseId has white space before it');
    const report = { all: result.differences, counts: { targets: { province: result.counts } } };
    const views = (lang: 'zh' | 'en') =>
      platformViews(report as never, result.differences[0] as never, lang)[0];
    expect(views('en')?.text).toBe('unreadable (its licenseId has white space before it)');
    expect(views('zh')?.text).toBe('无法读取（证照标识 licenseId 前有空白字符）');
  });

  it('is the answer for the ledger license it names, which is not re-sent', async () => {
    const result = await check([0, 1], [held(0), held(1, `${pad}${id(1)}`)]);
    expect(result.differences.map((d) => [d.kind, d.licenseId, d.ledger?.versionId ?? null])).toEqual([
      ['unreadable-at-platform', id(1), 101],
    ]);
    const plan = planRepairs(
      { config: { reconcile: {} } } as never,
      { all: result.differences, reportId: 'r', pipeline: 'p' } as never,
    );
    expect(plan.items.map((i) => i.action)).toEqual(['flag']);
  });

  it("is left out when it names another issuer's license", async () => {
    const result = await check([0], [held(0), held(4, `${pad}${others.licenseId(serial(4))}`)]);
    expect(result.differences).toEqual([]);
  });
});
