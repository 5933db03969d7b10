/**
 * A license whose latest version licbridge has not delivered to a platform yet (no delivery made,
 * or one still pending) was compared as if it had been: the platform, without that version, showed
 * it missing or drifted, the check exited 1 and a repair re-sent what the ordinary delivery was
 * about to send. Such licenses are now counted as awaiting delivery beside the platform's count and
 * explained once, no difference and nothing to repair; a delivered one the platform lacks is still
 * a difference, and so is a platform holding the latest version with another status.
 */
import { describe, expect, it } from 'vitest';
import type { TargetAdapter } from '../../adapters/platforms/target.js';
import { reconcileExitCode } from '../../cli/commands/reconcile.js';
import type { LedgerLicenseAtTarget } from '../../ledger/audit-types.js';
import { htmlReport } from '../../pipelines/reconcile/html-report.js';
import { reconcileSettings, reportOptions } from '../../pipelines/reconcile/settings.js';
import { textReport } from '../../pipelines/reconcile/text-report.js';
import { DIFFERENCE_KINDS, type ReconcileReport } from '../../pipelines/reconcile/types.js';
import {
  atLedger,
  checkAgainst,
  held as heldAt,
  id,
  ledgerOf as ledgerOfRows,
  listing,
  platformReads,
  unreadableEntry,
} from './platform-check-fixture.js';

const ZH = reportOptions(reconcileSettings({ config: {} }));
const EN = { ...ZH, lang: 'en' as const };

/** License `n` at version `version` in the ledger, its delivery to the province `deliveryState`. */
const row = (n: number, version: number, deliveryState: string | null, status = 'valid') =>
  atLedger(n, { version, deliveryState, status });
const held = (n: number, version: number, status = 'valid') => heldAt(n, { version, status });
const ledgerOf = (rows: LedgerLicenseAtTarget[]) => ledgerOfRows(rows, { pipeline: null });

const ledger = ledgerOf([
  row(1, 1, null), // committed, not signed or sent yet: the platform has none of it
  row(2, 2, 'pending', 'revoked'), // version 2 (revoked) queued; the platform holds version 1
  row(3, 1, 'accepted'), // delivered, and the platform lost it
  row(4, 2, 'pending', 'suspended'), // the platform holds version 2 already, another status
  row(5, 1, 'accepted'),
]);
const platform = [held(2, 1), held(4, 2, 'valid'), held(5, 1)];

function report(counts: Awaited<ReturnType<typeof checkAgainst>>): ReconcileReport {
  const byKind = Object.fromEntries(DIFFERENCE_KINDS.map((k) => [k, 0])) as ReconcileReport['byKind'];
  for (const d of counts.differences) byKind[d.kind] += 1;
  return {
    reportId: 'r1',
    pipeline: 'food',
    mode: 'full',
    licenseType: '11370200MB12345674001',
    startedAt: '2026-01-01T00:00:00.000Z',
    finishedAt: '2026-01-01T00:00:05.000Z',
    counts: {
      source: { total: 5, byStatus: { valid: 5 }, byArea: {}, quarantined: 0 },
      ledger: { total: 5, byStatus: { valid: 5 }, byArea: {} },
      targets: { province: counts.counts },
    },
    buckets: { total: 4096, differing: 0 },
    byKind,
    byKindAndSide: {},
    differences: counts.differences.length,
    sample: counts.differences.map((d) => ({ ...d, number: null, holderName: null, holderId: null })),
    all: counts.differences,
  };
}

describe.each(platformReads(platform))('a platform read by its %s', (_how, adapter) => {
  it('counts latest versions not delivered yet as awaiting delivery, not as differences', async () => {
    const check = await checkAgainst(ledger, adapter);
    expect(check.differences.map((d) => [d.kind, d.licenseId])).toEqual([
      ['missing-at-platform', id(3)],
      ['status-drift', id(4)],
    ]);
    expect(check.counts).toEqual({ total: 3, byStatus: { valid: 3 }, awaitingDelivery: 2 });
  });
});

describe('a latest version whose delivery ended without the platform taking it', () => {
  it.each(['dead', 'rejected', 'discarded'])(
    'is no license awaiting delivery when its delivery is %s: the platform lacking it is a difference',
    async (state) => {
      const check = await checkAgainst(
        ledgerOf([row(1, 1, state), row(2, 2, state, 'revoked'), row(5, 1, 'accepted')]),
        listing([[held(2, 1), held(5, 1)]]),
        { pageSize: 100 },
      );
      expect(check.differences.map((d) => [d.kind, d.licenseId])).toEqual([
        ['missing-at-platform', id(1)],
        ['status-drift', id(2)],
      ]);
      expect(check.counts.awaitingDelivery).toBeUndefined();
    },
  );
});

describe('a license awaiting delivery whose entry the platform lists by content only', () => {
  it('is answered by that entry, unreadable, even when listed after the walk passed it', async () => {
    const named = unreadableEntry(1, 2, 'its version is not a number', true);
    const check = await checkAgainst(
      ledgerOf([row(1, 1, 'pending'), row(5, 1, 'accepted')]),
      listing([[held(5, 1)], [named]]),
      { pageSize: 1 },
    );
    expect(check.differences.map((d) => [d.kind, d.licenseId, d.ledger?.versionId])).toEqual([
      ['unreadable-at-platform', id(1), 101],
    ]);
    expect(check.counts.awaitingDelivery).toBeUndefined();
  });
});

describe('the reports of licenses awaiting delivery', () => {
  it('say how many and what it means, and a check finding only those exits as one in agreement', async () => {
    const only = await checkAgainst(
      ledgerOf([row(1, 1, null), row(2, 2, 'pending', 'revoked'), row(5, 1, 'accepted')]),
      { name: 'province', lookup: async () => platform } as unknown as TargetAdapter,
      { pageSize: 100 },
    );
    expect(only.differences).toEqual([]);
    const r = report(only);
    expect(reconcileExitCode([r])).toBeUndefined();
    const zh = textReport(r, ZH);
    expect(zh).toContain('平台 province：2 张证照（有效 2），2 张待推送');
    expect(zh).toContain('待推送：证照的最新版本还没有推送到平台');
    expect(zh).toContain('没有差异');
    const en = textReport(r, EN);
    expect(en).toContain('province: 2 licenses (valid 2), 2 awaiting delivery');
    expect(en).toContain('Not differences, nothing to repair');
    const html = htmlReport(r, EN);
    expect(html).toContain('valid 2; 2 awaiting delivery');
    expect(html).toContain(
      'agree. Some licenses&#39; latest version is still awaiting delivery to a platform',
    );
    // A check without any says nothing of it.
    const none = report({ differences: [], counts: { total: 1, byStatus: { valid: 1 } } });
    expect(textReport(none, EN)).not.toContain('awaiting delivery');
    expect(htmlReport(none, EN)).not.toContain('awaiting delivery');
  });
});
