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
import type { PlatformRecord, TargetAdapter } from '../../adapters/platforms/target.js';
import { identifierBuilder } from '../../catalog/identifier.js';
import type { LedgerLicenseAtTarget } from '../../ledger/audit-types.js';
import type { Ledger } from '../../ledger/ledger.js';
import { checkPlatform } from '../../pipelines/reconcile/platform-side.js';
import { planRepairs } from '../../pipelines/reconcile/repair.js';
import { platformViews } from '../../pipelines/reconcile/report-view.js';
import type { Difference } from '../../pipelines/reconcile/types.js';

const TYPE = '11370200MB12345674001';
const ISSUER = '11370211MB12345672';
const ids = identifierBuilder(TYPE, ISSUER);
const others = identifierBuilder(TYPE, '11370211MB1234567X');
const PREFIX = ids.licenseId('X').slice(0, -1);
const serial = (n: number) => `TRAILINGID0000000${n}`;
const id = (n: number) => ids.licenseId(serial(n));

const held = (n: number, licenseId = id(n)): PlatformRecord => ({
  licenseId,
  identifier: ids.identifier(serial(n), 1),
  version: 1,
  status: 'valid',
  platformId: `P${n}`,
  contentHash: `hash-${n}`,
});

function atLedger(n: number): LedgerLicenseAtTarget {
  return {
    licenseId: id(n),
    sourceKey: `row-${n}`,
    version: 1,
    versionId: 100 + n,
    contentHash: `hash-${n}`,
    status: 'valid',
    deliveryKey: `${id(n)}:1:province`,
    deliveryState: 'accepted',
  };
}

/** The ledger's side of pipeline `p`: the licenses of `ns`, delivered and accepted. */
function ledgerHolding(ns: number[]): Ledger {
  const rows = ns.map(atLedger).sort((a, b) => (a.licenseId < b.licenseId ? -1 : 1));
  return {
    async licensesAtTarget(_p: string, _t: string, after: string, limit: number) {
      return rows.filter((r) => r.licenseId > after).slice(0, limit);
    },
    async licensesAtTargetByIds(_p: string, _t: string, asked: readonly string[]) {
      return rows.filter((r) => asked.includes(r.licenseId));
    },
    async pipelinesOfLicenses(asked: readonly string[]) {
      return new Map(rows.filter((r) => asked.includes(r.licenseId)).map((r) => [r.licenseId, 'p']));
    },
  } as unknown as Ledger;
}

/** A platform listing `records` in byte order of their ids, as listed. */
function listing(records: PlatformRecord[]): TargetAdapter {
  const sorted = [...records].sort((a, b) =>
    Buffer.compare(Buffer.from(a.licenseId), Buffer.from(b.licenseId)),
  );
  return {
    name: 'province',
    async *list() {
      yield sorted;
    },
  } as unknown as TargetAdapter;
}

const check = (ledgerNs: number[], records: PlatformRecord[]) =>
  checkPlatform({
    ledger: ledgerHolding(ledgerNs),
    pipeline: 'p',
    adapter: listing(records),
    licensePrefix: PREFIX,
    pageSize: 100,
  });

const shown = (differences: Difference[]) =>
  differences.map((d) => [d.kind, d.licenseId, d.ledger?.versionId ?? null]);

/** The repair plan under `unknownAtPlatform: revoke`: each license id with its action. */
const planned = (differences: Difference[]) =>
  planRepairs(
    { config: { reconcile: { unknownAtPlatform: 'revoke' } } } as never,
    { all: differences, reportId: 'r', pipeline: 'p' } as never,
  ).items.map((i) => [i.action, i.difference.licenseId]);

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
