/**
 * The reasons an entry's version is no version (its shape: a fraction, a negative number, zero, too
 * large) in the Chinese reports: each has its words, and the English report shows the adapter's.
 */
import { describe, expect, it } from 'vitest';
import { platformViews } from '../../pipelines/reconcile/report-view.js';
import type { ReconcileReport, ShownDifference } from '../../pipelines/reconcile/types.js';

function unreadable(reason: string): ShownDifference {
  return {
    kind: 'unreadable-at-platform',
    licenseId: '',
    sourceKey: null,
    target: 'province',
    ledger: null,
    platform: null,
    unreadable: { reason, position: 3 },
    number: null,
    holderName: null,
    holderId: null,
  };
}

const REPORT = {
  all: [],
  counts: { targets: { province: { total: 1, byStatus: {} } } },
} as unknown as ReconcileReport;
const view = (reason: string, lang: 'zh' | 'en') => platformViews(REPORT, unreadable(reason), lang)[0]?.text;

describe('the shape of a version that is none, in the Chinese reports', () => {
  it.each([
    ['its version is a fraction', '无法读取（列表第 3 条：版本号是小数）'],
    ['its version is a negative number', '无法读取（列表第 3 条：版本号是负数）'],
    ['its version is zero', '无法读取（列表第 3 条：版本号是零）'],
    [
      'its version is a number too large to hold exactly',
      '无法读取（列表第 3 条：版本号过大，无法精确表示）',
    ],
  ])('says %s in Chinese', (reason, zh) => {
    expect(view(reason, 'zh')).toBe(zh);
    expect(view(reason, 'en')).toBe(`unreadable (listing entry 3: ${reason})`);
  });
});
