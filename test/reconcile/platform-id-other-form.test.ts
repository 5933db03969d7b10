/**
 * A platform entry whose licenseId is a license id of the pipeline written in other characters —
 * lower case (`1.2.156.3005.2.11370200mb…`, a platform storing ids case-insensitively), or
 * full-width digits, letters and dots (`１．２．１５６…`, as typed into a form in a Chinese input
 * method) — does not start with the pipeline's license-id prefix, so the platform check took it for
 * another issuer's license and left it out: an entry only the platform held so was never reported,
 * and the license it names showed `missing-at-platform`, re-sent by a repair. Such an entry is now
 * `unreadable-at-platform` under the license it names, as one padded with white space is
 * (platform-padded-id.test.ts). Another issuer's entry written so is still left out.
 */
import { describe, expect, it } from 'vitest';
import { planRepairs } from '../../pipelines/reconcile/repair.js';
import { platformViews } from '../../pipelines/reconcile/report-view.js';
import { paddedIdFixtures } from './padded-id-fixtures.js';

const { others, serial, id, held, check } = paddedIdFixtures('OTHERFORM0000');

/** Every half-width character of `s` in its full-width form (U+FF01–U+FF5E). */
const fullWidth = (s: string) => s.replace(/[!-~]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0));

const REASON = 'its licenseId is written in other characters (lower case or full-width)';

describe.each([
  ['in lower case', (s: string) => s.toLowerCase()],
  ['in full-width characters', fullWidth],
  ['with one letter in lower case', (s: string) => s.replace('MB', 'mB')],
])('a platform entry whose licenseId is written %s', (_name, written) => {
  it('is reported when only the platform holds its license', async () => {
    const result = await check([0], [held(0), held(3, written(id(3)))]);
    expect(result.differences.map((d) => [d.kind, d.licenseId, d.ledger?.versionId ?? null])).toEqual([
      ['unreadable-at-platform', id(3), null],
    ]);
    expect(result.differences[0]?.unreadable?.reason).toBe(REASON);
    const report = { all: result.differences, counts: { targets: { province: result.counts } } };
    const views = (lang: 'zh' | 'en') =>
      platformViews(report as never, result.differences[0] as never, lang)[0];
    expect(views('en')?.text).toBe(`unreadable (${REASON})`);
    expect(views('zh')?.text).toBe('无法读取（证照标识 licenseId 的字母大小写或全角半角与证照不同）');
  });

  it('is the answer for the ledger license it names, which is not re-sent', async () => {
    const result = await check([0, 1, 2], [held(0), held(1, written(id(1))), held(2)]);
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
    const result = await check([0], [held(0), held(4, written(others.licenseId(serial(4))))]);
    expect(result.differences).toEqual([]);
  });
});

it('takes an id the pipeline issues, written as it is, as it stands', async () => {
  const result = await check([0, 1], [held(0), held(1)]);
  expect(result.differences).toEqual([]);
  expect(result.counts.total).toBe(2);
});
