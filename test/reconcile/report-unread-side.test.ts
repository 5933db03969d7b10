/**
 * A report never says everything agrees about a side it did not read: a platform that could not
 * be asked, or — in a light check — the content and the platforms, which it never compares.
 */
import { describe, expect, it } from 'vitest';
import { htmlReport } from '../../pipelines/reconcile/html-report.js';
import { reconcileSettings, reportOptions } from '../../pipelines/reconcile/settings.js';
import { textReport } from '../../pipelines/reconcile/text-report.js';
import { DIFFERENCE_KINDS, type ReconcileReport } from '../../pipelines/reconcile/types.js';

const ZH = reportOptions(reconcileSettings({ config: {} }));
const EN = { ...ZH, lang: 'en' as const };

function clean(
  mode: ReconcileReport['mode'],
  targets: ReconcileReport['counts']['targets'],
): ReconcileReport {
  return {
    reportId: 'r1',
    pipeline: 'food',
    mode,
    licenseType: '11370200MB12345674001',
    startedAt: '2026-01-01T00:00:00.000Z',
    finishedAt: '2026-01-01T00:00:05.000Z',
    counts: {
      source: { total: 3, byStatus: { valid: 3 }, byArea: {}, quarantined: 0 },
      ledger: { total: 3, byStatus: { valid: 3 }, byArea: {} },
      targets,
    },
    buckets: { total: 4096, differing: 0 },
    byKind: Object.fromEntries(DIFFERENCE_KINDS.map((k) => [k, 0])) as ReconcileReport['byKind'],
    byKindAndSide: {},
    differences: 0,
    sample: [],
    all: [],
  };
}

const AGREE_ZH = '业务系统、本系统和平台的数据一致';
const AGREE_EN = 'Source, ledger and platforms agree.';

describe('a report with a side it could not read', () => {
  it('still says all agree when every side was compared', () => {
    const r = clean('full', { province: { total: 3, byStatus: { valid: 3 } } });
    expect(htmlReport(r, ZH)).toContain(AGREE_ZH);
    expect(textReport(r, ZH)).toContain('没有差异');
  });

  it('says a platform that could not be asked was not compared, in HTML and on the terminal', () => {
    const r = clean('full', {
      province: { total: 3, byStatus: { valid: 3 } },
      city: { unavailable: 'the target offers no lookup' },
    });
    const zh = htmlReport(r, ZH);
    expect(zh).not.toContain(AGREE_ZH);
    expect(zh).not.toMatch(/class="lead ok"/);
    expect(zh).toMatch(/class="lead[^"]*">[^<]*平台 city 无法查询/);
    const en = htmlReport(r, EN);
    expect(en).not.toContain(AGREE_EN);
    expect(en).toMatch(/class="lead[^"]*">[^<]*city could not be asked/);
    const text = textReport(r, ZH);
    expect(text).not.toMatch(/^ {2}没有差异$/m);
    expect(text).toMatch(/^ {2}没有发现差异，但平台 city 无法查询，未核对$/m);
    expect(textReport(r, EN)).toMatch(
      /^ {2}no differences found, but city could not be asked and was not compared$/m,
    );
  });

  it('does not say the platforms agree after a light check, which never asks them', () => {
    const r = clean('light', {});
    const zh = htmlReport(r, ZH);
    expect(zh).not.toContain(AGREE_ZH);
    expect(zh).toContain('未核对内容和平台');
    const en = htmlReport(r, EN);
    expect(en).not.toContain(AGREE_EN);
    expect(en).toContain('content and platforms were not compared');
  });
});
