/**
 * `platform-content-mismatch` also stands for a platform holding another version of a license with
 * the same status and content (the content hash leaves the identifier out, and a license valid again
 * after a suspension repeats an earlier version's content). The reports called every such license
 * one with "different content", which a person checking the platform's record would not find.
 * The label and advice now say the content or the version differs, in both languages.
 */
import { describe, expect, it } from 'vitest';
import { reconcileSettings, reportOptions } from '../../pipelines/reconcile/settings.js';
import { textReport } from '../../pipelines/reconcile/text-report.js';
import { DIFFERENCE_KINDS, type Difference, type ReconcileReport } from '../../pipelines/reconcile/types.js';

const ZH = reportOptions(reconcileSettings({ config: {} }));
const EN = { ...ZH, lang: 'en' as const };
const HASH = 'a'.repeat(64);

/** The ledger's latest is version 3; the province holds version 2 with the same status and content. */
const versionOnly: Difference = {
  kind: 'platform-content-mismatch',
  licenseId: 'L1',
  sourceKey: '7',
  target: 'province',
  ledger: { version: 3, versionId: 3, status: 'valid', contentHash: HASH },
  platform: { version: 2, status: 'valid', contentHash: HASH, platformId: 'P1' },
};

function report(d: Difference): ReconcileReport {
  const byKind = Object.fromEntries(DIFFERENCE_KINDS.map((k) => [k, 0])) as ReconcileReport['byKind'];
  byKind[d.kind] = 1;
  return {
    reportId: 'r1',
    pipeline: 'food',
    mode: 'full',
    licenseType: '11370200MB12345674001',
    startedAt: '2026-01-01T00:00:00.000Z',
    finishedAt: '2026-01-01T00:00:05.000Z',
    counts: {
      source: { total: 1, byStatus: { valid: 1 }, byArea: {}, quarantined: 0 },
      ledger: { total: 1, byStatus: { valid: 1 }, byArea: {} },
      targets: { province: { total: 1, byStatus: { valid: 1 } } },
    },
    buckets: { total: 4096, differing: 0 },
    byKind,
    byKindAndSide: {},
    differences: 1,
    sample: [{ ...d, number: 'JY1', holderName: '青岛海滨食品有限公司', holderId: '91370211MA3C000000' }],
    all: [d],
  };
}

describe('a platform holding another version with the same content', () => {
  it('is told of as a difference of content or version, never of content alone', () => {
    const zh = textReport(report(versionOnly), ZH);
    expect(zh).toContain('平台内容或版本不一致：1');
    expect(zh).toContain('内容或版本号与本系统的最新版本不同');
    expect(zh).toContain('内容相同而平台保存的是另一个版本');
    expect(zh).not.toContain('但内容与最新版本不同');
    expect(zh).toContain('province 有效（第 2 版）');
    const en = textReport(report(versionOnly), EN);
    expect(en).toContain('content or version differs at the platform: 1');
    expect(en).toContain('other content or another version than the latest version');
    expect(en).not.toContain('but different content than the latest version');
  });
});
