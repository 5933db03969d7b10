/**
 * The HTML report's area table marks a gap between the business system's and licbridge's counts
 * only when a difference the report counts can make it. licbridge's side also holds licenses that
 * are no difference: deletions the `deletedAtSource` policy already answered and ended licenses
 * whose rows are gone. A report with no difference used to show those areas in red.
 */
import { describe, expect, it } from 'vitest';
import { htmlReport } from '../../pipelines/reconcile/html-report.js';
import { areaRows } from '../../pipelines/reconcile/report-view.js';
import { reconcileSettings, reportOptions } from '../../pipelines/reconcile/settings.js';
import {
  DIFFERENCE_KINDS,
  type DifferenceKind,
  type ReconcileReport,
} from '../../pipelines/reconcile/types.js';

const ZH = reportOptions(reconcileSettings({ config: {} }));

/** 370211 holds 2 answered licenses more on licbridge's side; 370212 agrees; 370213 has 1 more at the source. */
function report(kinds: Partial<Record<DifferenceKind, number>> = {}): ReconcileReport {
  const byKind = Object.fromEntries(
    DIFFERENCE_KINDS.map((k) => [k, kinds[k] ?? 0]),
  ) as ReconcileReport['byKind'];
  const differences = Object.values(byKind).reduce((a, b) => a + b, 0);
  return {
    reportId: 'r1',
    pipeline: 'food',
    mode: 'full',
    licenseType: '11370200MB12345674001',
    startedAt: '2026-01-01T00:00:00.000Z',
    finishedAt: '2026-01-01T00:00:05.000Z',
    counts: {
      source: {
        total: 19,
        byStatus: { valid: 19 },
        byArea: { '370211': 10, '370212': 5, '370213': 4 },
        quarantined: 0,
      },
      ledger: {
        total: 20,
        byStatus: { valid: 18, revoked: 2 },
        byArea: { '370211': 12, '370212': 5, '370213': 3 },
      },
      targets: {},
    },
    buckets: { total: 64, differing: 2 },
    byKind,
    byKindAndSide: {},
    differences,
    sample: [],
    all: [],
  };
}

const flagged = (r: ReconcileReport) =>
  areaRows(r)
    .filter((a) => a.flagged)
    .map((a) => a.area);

describe('the area rows of the HTML report', () => {
  it('mark no area when the report counts no difference, whatever the counts', () => {
    const r = report();
    expect(areaRows(r)).toEqual([
      { area: '370211', source: 10, own: 12, flagged: false },
      { area: '370212', source: 5, own: 5, flagged: false },
      { area: '370213', source: 4, own: 3, flagged: false },
    ]);
    const html = htmlReport(r, ZH);
    expect(html).not.toMatch(/<td class="bad">/);
    expect(html).toContain('红色：该区划两边数量不同');
    expect(htmlReport(r, { ...ZH, lang: 'en' })).toContain('Red: the two counts of the area differ');
  });

  it('mark no area for differences with the platforms only', () => {
    expect(flagged(report({ 'missing-at-platform': 3, 'status-drift': 1 }))).toEqual([]);
  });

  it('mark a larger licbridge side for a license deleted at the source or unmappable', () => {
    expect(flagged(report({ 'deleted-at-source': 1 }))).toEqual(['370211']);
    expect(flagged(report({ unmappable: 1 }))).toEqual(['370211']);
  });

  it('mark a larger business-system side for a missed license', () => {
    expect(flagged(report({ missed: 1 }))).toEqual(['370213']);
  });

  it('do not tell a person an unmarked gap needs nothing done: a missed license can hide under answered deletions', () => {
    // 370211: a missed license there, offset by the two answered deletions (12 against 10 stays
    // licbridge's larger): the area is not red, yet the difference listed above is to be acted on.
    const r = report({ missed: 1 });
    expect(areaRows(r).find((a) => a.area === '370211')?.flagged).toBe(false);
    const en = htmlReport(r, { ...ZH, lang: 'en' });
    expect(en).not.toContain('so a gap not in red needs nothing done');
    expect(en).toContain('what to do is what the differences above say');
    const zh = htmlReport(r, ZH);
    expect(zh).not.toContain('数量不同而未标红时无需处理');
    expect(zh).toContain('需处理的以上文差异为准');
  });

  it('mark either side for a changed content: its area may have moved', () => {
    expect(flagged(report({ 'content-mismatch': 1 }))).toEqual(['370211', '370213']);
    expect(htmlReport(report({ 'content-mismatch': 1 }), ZH).match(/<td class="bad">/g)).toHaveLength(2);
  });
});
