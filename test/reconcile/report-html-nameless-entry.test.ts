/**
 * The HTML reconcile report's row of a platform entry that names no license (an unreadable entry
 * with no licenseId): each of its cells the report cannot fill reads `-`, the license identifier's
 * too. On a phone, where each row is a card of labelled fields, that field was a label over
 * nothing, as if its value had been cut off.
 */
import { describe, expect, it } from 'vitest';
import { htmlReport } from '../../pipelines/reconcile/html-report.js';
import { reconcileSettings, reportOptions } from '../../pipelines/reconcile/settings.js';
import { DIFFERENCE_KINDS, type ReconcileReport } from '../../pipelines/reconcile/types.js';

const ZH = reportOptions(reconcileSettings({ config: {} }));

function report(): ReconcileReport {
  const byKind = Object.fromEntries(DIFFERENCE_KINDS.map((k) => [k, 0])) as ReconcileReport['byKind'];
  byKind['unreadable-at-platform'] = 1;
  const d = {
    kind: 'unreadable-at-platform' as const,
    licenseId: '',
    sourceKey: null,
    target: 'province',
    ledger: null,
    platform: null,
    unreadable: { reason: 'it has no licenseId', position: 1 },
  };
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
      targets: { province: { total: 2, byStatus: { valid: 2 } } },
    },
    buckets: { total: 4096, differing: 1 },
    byKind,
    byKindAndSide: {},
    differences: 1,
    sample: [{ ...d, number: null, holderName: null, holderId: null }],
    all: [d],
  };
}

describe('HTML reconcile report: an entry that names no license', () => {
  it.each([
    ['zh', '证照标识'],
    ['en', 'license identifier'],
  ] as const)('shows - for its license identifier (%s)', (lang, label) => {
    const html = htmlReport(report(), { ...ZH, lang });
    expect(html).toContain(`<td data-h="${label}"><span class="small">-</span></td>`);
  });
});
