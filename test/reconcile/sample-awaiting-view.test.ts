/**
 * A license the sample shows for a source-side difference (deleted at the source, changed there)
 * whose latest version awaits delivery at a platform: the platform does not hold that version yet.
 * The reports said it did — `province：有效（第 2 版）` — because a target with no difference of the
 * license was taken to hold its latest version, and a license awaiting delivery is no difference.
 * The platform check now names the targets where it awaits delivery, and the reports say so.
 */
import { describe, expect, it } from 'vitest';
import type { TargetAdapter } from '../../adapters/platforms/target.js';
import type { LedgerLicenseAtTarget } from '../../ledger/audit-types.js';
import type { Ledger } from '../../ledger/ledger.js';
import { checkPlatform } from '../../pipelines/reconcile/platform-side.js';
import { platformViews } from '../../pipelines/reconcile/report-view.js';
import type { Difference, ReconcileReport, ShownDifference } from '../../pipelines/reconcile/types.js';

const PREFIX = '1.2.156.3005.2.11370200MB12345674001.11370211MB12345672.';
const ID = `${PREFIX}K4Y975IEPO1UZ9OZS7V1`;
const HASH = 'a'.repeat(64);

const atLedger: LedgerLicenseAtTarget = {
  licenseId: ID,
  sourceKey: 'row-1',
  version: 2,
  versionId: 12,
  contentHash: HASH,
  status: 'valid',
  deliveryKey: `${ID}:2:province`,
  deliveryState: 'pending',
};

const ledger = {
  async licensesAtTarget(_p: string, _t: string, after: string) {
    return [atLedger].filter((r) => r.licenseId > after);
  },
  async licensesAtTargetByIds() {
    return [];
  },
  async pipelinesOfLicenses() {
    return new Map();
  },
} as unknown as Ledger;

function deleted(): Difference {
  return {
    kind: 'deleted-at-source',
    licenseId: ID,
    sourceKey: 'row-1',
    target: null,
    ledger: { version: 2, versionId: 12, status: 'valid', contentHash: HASH },
    platform: null,
  };
}

function adapter(name: string): TargetAdapter {
  return {
    name,
    async *list() {
      yield [];
    },
  } as unknown as TargetAdapter;
}

function reportOf(d: Difference): ReconcileReport {
  return {
    all: [d],
    counts: {
      targets: {
        province: { total: 0, byStatus: {}, awaitingDelivery: 1 },
        city: { total: 1, byStatus: {} },
      },
    },
  } as unknown as ReconcileReport;
}

const shown = (d: Difference): ShownDifference => ({ ...d, number: null, holderName: null, holderId: null });

describe('a sampled license whose latest version awaits delivery at a platform', () => {
  it('is named awaiting delivery there by the platform check', async () => {
    const d = deleted();
    const check = await checkPlatform({
      ledger,
      pipeline: 'food',
      adapter: adapter('province'),
      licensePrefix: PREFIX,
      pageSize: 10,
      watched: new Map([[ID, d]]),
    });
    expect(check.differences).toEqual([]);
    expect(check.counts.awaitingDelivery).toBe(1);
    expect(d.awaitingAt).toEqual(['province']);
  });

  it('is shown as awaiting delivery there, and as held where it is delivered', () => {
    const d = { ...deleted(), awaitingAt: ['province'] };
    expect(platformViews(reportOf(d), shown(d), 'en')).toEqual([
      { target: 'province', text: 'awaiting delivery' },
      { target: 'city', text: 'valid (version 2)' },
    ]);
    expect(platformViews(reportOf(d), shown(d), 'zh')[0]).toEqual({ target: 'province', text: '待推送' });
  });
});
