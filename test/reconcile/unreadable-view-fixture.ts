/**
 * The report line of a platform entry that could not be read, for the tests of its words
 * (unreadable-reason-words, unreadable-version-words): listing entry 3 of target `province`.
 */
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

/** The report's text for listing entry 3, unreadable for `reason`, in `lang`. */
export const unreadableView = (reason: string, lang: 'zh' | 'en') =>
  platformViews(REPORT, unreadable(reason), lang)[0]?.text;
