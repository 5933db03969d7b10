/**
 * The HTML reconcile report's cells for a platform, as a department reads them. A target added
 * since the last run holds none of the licenses yet: its status cell read `-；291 张待推送`
 * (`-; 291 awaiting delivery`), a dash for "no statuses" glued to the count that matters; it now
 * reads the count alone. The English report joined a label and its value with the full-width
 * colon of the Chinese one (`not synced：1`, `city：awaiting delivery`); it now uses `: `. And
 * it said `1 differences found that need attention.`
 */
import { describe, expect, it } from 'vitest';
import { htmlReport } from '../../pipelines/reconcile/html-report.js';
import { reconcileSettings, reportOptions } from '../../pipelines/reconcile/settings.js';
import { DIFFERENCE_KINDS, type ReconcileReport } from '../../pipelines/reconcile/types.js';

const ZH = reportOptions(reconcileSettings({ config: {} }));
const EN = { ...ZH, lang: 'en' as const };
const LICENSE = '1.2.156.3005.2.11370200MB12345674001.11370211MB12345672.K4Y975IEPO1UZ9OZS7V1';

/** One license deleted at the source, held by the province, awaiting delivery at a new target. */
function report(): ReconcileReport {
  const byKind = Object.fromEntries(DIFFERENCE_KINDS.map((k) => [k, 0])) as ReconcileReport['byKind'];
  byKind['deleted-at-source'] = 1;
  const d = {
    kind: 'deleted-at-source' as const,
    licenseId: LICENSE,
    sourceKey: '175',
    target: null,
    ledger: { version: 1, versionId: 1, status: 'valid' as const, contentHash: 'h' },
    platform: null,
    awaitingAt: ['city'],
  };
  return {
    reportId: 'r1',
    pipeline: 'food',
    mode: 'full',
    licenseType: '11370200MB12345674001',
    startedAt: '2026-01-01T00:00:00.000Z',
    finishedAt: '2026-01-01T00:00:05.000Z',
    counts: {
      source: { total: 290, byStatus: { valid: 290 }, byArea: {}, quarantined: 0 },
      ledger: { total: 291, byStatus: { valid: 291 }, byArea: {} },
      targets: {
        province: { total: 291, byStatus: { valid: 291 } },
        city: { total: 0, byStatus: {}, awaitingDelivery: 291 },
      },
    },
    buckets: { total: 4096, differing: 1 },
    byKind,
    byKindAndSide: {},
    differences: 1,
    sample: [{ ...d, number: 'JY1', holderName: '某超市', holderId: '92370211MA3247D404' }],
    all: [d],
  };
}

/** The text of the counts row of a platform, tags dropped. */
function countsRow(html: string, label: string): string {
  const row = html.split('<tr>').find((r) => r.startsWith(`<th>${label}</th>`));
  return (row ?? '').split('</tr>')[0]?.replace(/<[^>]+>/g, '|') ?? '';
}

describe('HTML reconcile report: the cells of a platform', () => {
  it('shows only the count awaiting delivery for a platform holding none yet', () => {
    expect(countsRow(htmlReport(report(), ZH), '平台 city')).toBe('|平台 city||0||291 张待推送|');
    expect(countsRow(htmlReport(report(), EN), 'Platform city')).toBe(
      '|Platform city||0||291 awaiting delivery|',
    );
    // A platform holding some keeps its statuses before the count.
    const some = report();
    some.counts.targets.city = { total: 2, byStatus: { valid: 2 }, awaitingDelivery: 289 };
    expect(countsRow(htmlReport(some, ZH), '平台 city')).toBe('|平台 city||2||有效 2；289 张待推送|');
  });

  it('joins labels and values with an English colon in the English report, a Chinese one in the Chinese', () => {
    const en = htmlReport(report(), EN);
    expect(en).not.toContain('：');
    expect(en).toContain('1 difference found that needs attention.');
    expect(en).toContain('deleted in the business system: 1</h3>');
    expect(en).toContain('province: valid (version 1)<br>city: awaiting delivery');
    const zh = htmlReport(report(), ZH);
    expect(zh).toContain('业务记录已删除：1 条</h3>');
    expect(zh).toContain('province：有效（第 1 版）<br>city：待推送');
  });
});
