/**
 * A light check counts the source by key: its `counts.source.total` is every key the source holds,
 * quarantined ones included (the run summary's `sourceKeys`). The reports show the records that make
 * a license and, "besides" them, those with errors: a quarantined key must not be in both.
 */
import { describe, expect, it } from 'vitest';
import { htmlReport } from '../../pipelines/reconcile/html-report.js';
import { reconcileSettings, reportOptions } from '../../pipelines/reconcile/settings.js';
import { textReport } from '../../pipelines/reconcile/text-report.js';
import { DIFFERENCE_KINDS, type ReconcileReport } from '../../pipelines/reconcile/types.js';

const ZH = reportOptions(reconcileSettings({ config: {} }));

function report(mode: ReconcileReport['mode'], total: number, quarantined: number): ReconcileReport {
  return {
    reportId: 'r1',
    pipeline: 'food',
    mode,
    licenseType: '11370200MB12345674001',
    startedAt: '2026-01-01T00:00:00.000Z',
    finishedAt: '2026-01-01T00:00:05.000Z',
    counts: {
      source: { total, byStatus: mode === 'full' ? { valid: total } : {}, byArea: {}, quarantined },
      ledger: { total: 58, byStatus: { valid: 58 }, byArea: {} },
      targets: {},
    },
    buckets: { total: 4096, differing: 0 },
    byKind: Object.fromEntries(DIFFERENCE_KINDS.map((k) => [k, 0])) as ReconcileReport['byKind'],
    byKindAndSide: {},
    differences: 0,
    sample: [],
    all: [],
  };
}

/** The source row of the HTML counts table: its total cell. */
const htmlSourceTotal = (html: string) =>
  /<th>业务系统（可生成证照的记录）<\/th><td>(\d+)<\/td>/.exec(html)?.[1];

describe('source counts of a light check', () => {
  it('show the quarantined keys once: besides the records that make a license, not among them', () => {
    // 60 keys at the source, 2 of them quarantined: 58 make a license, as the ledger holds.
    const light = report('light', 60, 2);
    expect(textReport(light, ZH)).toContain('业务系统：58 条可生成证照（-），2 条有错误');
    expect(textReport(light, { ...ZH, lang: 'en' })).toContain(
      'source: 58 licenses (-), 2 rows that do not map',
    );
    const html = htmlReport(light, ZH);
    expect(htmlSourceTotal(html)).toBe('58');
    expect(html).toContain('另有 2 条业务记录有错误');
  });

  it('leave a full check as counted: its total holds only rows that map', () => {
    const full = report('full', 58, 2);
    expect(textReport(full, ZH)).toContain('业务系统：58 条可生成证照（有效 58），2 条有错误');
    expect(htmlSourceTotal(htmlReport(full, ZH))).toBe('58');
  });
});
