/**
 * The terminal reconcile report's line for a platform that holds none of the licenses yet (a
 * target added since the last run): it read `平台 city：0 张证照（-），291 张待推送`, a dash for the
 * statuses of no license; it now reads `平台 city：0 张证照，291 张待推送`. A platform holding some
 * keeps its statuses.
 */
import { describe, expect, it } from 'vitest';
import { reconcileSettings, reportOptions } from '../../pipelines/reconcile/settings.js';
import { textReport } from '../../pipelines/reconcile/text-report.js';
import { DIFFERENCE_KINDS, type ReconcileReport } from '../../pipelines/reconcile/types.js';

const ZH = reportOptions(reconcileSettings({ config: {} }));
const EN = { ...ZH, lang: 'en' as const };

function report(city: {
  total: number;
  byStatus: Record<string, number>;
  awaitingDelivery?: number;
}): ReconcileReport {
  return {
    reportId: 'r1',
    pipeline: 'food',
    mode: 'full',
    licenseType: '11370200MB12345674001',
    startedAt: '2026-01-01T00:00:00.000Z',
    finishedAt: '2026-01-01T00:00:05.000Z',
    counts: {
      source: { total: 291, byStatus: { valid: 291 }, byArea: {}, quarantined: 0 },
      ledger: { total: 291, byStatus: { valid: 291 }, byArea: {} },
      targets: { province: { total: 291, byStatus: { valid: 291 } }, city },
    },
    buckets: { total: 4096, differing: 0 },
    byKind: Object.fromEntries(DIFFERENCE_KINDS.map((k) => [k, 0])) as ReconcileReport['byKind'],
    byKindAndSide: {},
    differences: 0,
    sample: [],
    all: [],
  };
}

describe('terminal reconcile report: a platform holding no license yet', () => {
  it('gives its count and what awaits delivery there, with no dash for statuses', () => {
    const none = report({ total: 0, byStatus: {}, awaitingDelivery: 291 });
    expect(textReport(none, ZH)).toContain('  平台 city：0 张证照，291 张待推送\n');
    expect(textReport(none, EN)).toContain('  city: 0 licenses, 291 awaiting delivery\n');
  });

  it('keeps the statuses of a platform holding some', () => {
    const some = report({ total: 2, byStatus: { valid: 2 }, awaitingDelivery: 289 });
    expect(textReport(some, ZH)).toContain('  平台 city：2 张证照（有效 2），289 张待推送\n');
    expect(textReport(some, EN)).toContain('  city: 2 licenses (valid 2), 289 awaiting delivery\n');
  });
});
