/**
 * A platform entry whose licenseId has white space after it (`1.2.156.3005.2.… `, a tab, an
 * ideographic space) starts with the pipeline's license-id prefix, so the platform check walked it
 * under the padded id, which no ledger license has: it showed as `unknown-at-platform` under an id
 * no license has, and the license it names as `missing-at-platform`. A repair under
 * `unknownAtPlatform: revoke` planned to adopt and revoke a license that does not exist (its
 * revocation built from the real one's content) and sent the real one again. Such an entry is now
 * `unreadable-at-platform` under the license id it names, matched with the ledger's license of
 * that id wherever the platform lists it, and a repair only flags it, as for white space before it.
 */
import { describe, expect, it } from 'vitest';
import { platformViews } from '../../pipelines/reconcile/report-view.js';
import { paddedIdFixtures, planned, shown } from './padded-id-fixtures.js';

const { others, serial, id, held, check } = paddedIdFixtures('TRAILINGID0000000');

describe.each([
  ['a space', ' '],
  ['a tab', '\t'],
  ['an ideographic space', '\u3000'],
])('a platform entry whose licenseId has %s after it', (_name, pad) => {
  it('is reported under the license id it names when only the platform holds it, and never adopted', async () => {
    const result = await check([0], [held(0), held(3, `${id(3)}${pad}`)]);
    expect(shown(result.differences)).toEqual([['unreadable-at-platform', id(3), null]]);
    expect(result.differences[0]?.unreadable?.reason).toBe('its licenseId has white space after it');
    expect(planned(result.differences)).toEqual([['flag', id(3)]]);
    const report = { all: result.differences, counts: { targets: { province: result.counts } } };
    const views = (lang: 'zh' | 'en') =>
      platformViews(report as never, result.differences[0] as never, lang)[0];
    expect(views('en')?.text).toBe('unreadable (its licenseId has white space after it)');
    expect(views('zh')?.text).toBe('无法读取（证照标识 licenseId 后有空白字符）');
  });

  it('is the answer for the ledger license it names, which is neither re-sent nor adopted', async () => {
    const result = await check([0, 1, 2], [held(0), held(1, `${id(1)}${pad}`), held(2)]);
    expect(shown(result.differences)).toEqual([['unreadable-at-platform', id(1), 101]]);
    expect(planned(result.differences)).toEqual([['flag', id(1)]]);
  });

  it('is a second entry of a license the platform also lists readably', async () => {
    const result = await check([0, 1], [held(0), held(1), held(1, `${id(1)}${pad}`)]);
    expect(shown(result.differences)).toEqual([['unreadable-at-platform', id(1), 101]]);
    expect(planned(result.differences)).toEqual([['flag', id(1)]]);
  });

  it('is reported once when its licenseId has white space on both sides', async () => {
    const result = await check([0, 1], [held(0), held(1, `${pad}${id(1)}${pad}`)]);
    expect(shown(result.differences)).toEqual([['unreadable-at-platform', id(1), 101]]);
    expect(result.differences[0]?.unreadable?.reason).toBe(
      'its licenseId has white space before and after it',
    );
    const report = { all: result.differences, counts: { targets: { province: result.counts } } };
    expect(platformViews(report as never, result.differences[0] as never, 'zh')[0]?.text).toBe(
      '无法读取（证照标识 licenseId 前后有空白字符）',
    );
    expect(planned(result.differences)).toEqual([['flag', id(1)]]);
  });

  it("is left out when it names another issuer's license", async () => {
    const result = await check([0], [held(0), held(4, `${others.licenseId(serial(4))}${pad}`)]);
    expect(result.differences).toEqual([]);
  });
});
