/**
 * A license the platform holds and the ledger does not, whose source row the same check found
 * (`missed`: the ledger lost it, restored from an older copy, or a fresh ledger beside a platform
 * that kept everything), is the license of a row the business system still holds. Under
 * `reconcile.unknownAtPlatform: revoke` the plan adopted and revoked it, and its re-read issued it
 * again: a valid license revoked at the platform (which may refuse to take it back). It is
 * flagged instead, and the plan says why — not that the policy is `flag`.
 */
import { describe, expect, it } from 'vitest';
import { planRepairs } from '../../pipelines/reconcile/repair.js';
import { textPlan } from '../../pipelines/reconcile/text-report.js';
import type { Difference, ReconcileReport } from '../../pipelines/reconcile/types.js';

const PREFIX = '1.2.156.3005.2.11370200MB12345674001.11370211MB12345672';
const OF_ROW = `${PREFIX}.K4Y975IEPO1UZ9OZS7V1`;
const ALONE = `${PREFIX}.ZZZZZZZZZZZZZZZZZZZZ`;

function unknown(licenseId: string): Difference {
  return {
    kind: 'unknown-at-platform',
    licenseId,
    sourceKey: null,
    target: 'province',
    ledger: null,
    platform: {
      version: 2,
      status: 'valid',
      contentHash: 'a'.repeat(64),
      platformId: `P-${licenseId.slice(-4)}`,
    },
  };
}

function report(all: Difference[]): ReconcileReport {
  return { reportId: 'r1', pipeline: 'food', all } as unknown as ReconcileReport;
}

const rt = { config: { reconcile: { unknownAtPlatform: 'revoke' as const } } };

describe('a license only the platform holds whose source row the check found missed', () => {
  const all: Difference[] = [
    { kind: 'missed', licenseId: OF_ROW, sourceKey: 'row-7', target: null, ledger: null, platform: null },
    unknown(OF_ROW),
    unknown(ALONE),
  ];

  it('is flagged, never adopted and revoked; the one no row stands behind still is', () => {
    const plan = planRepairs(rt as never, report(all));
    const action = (licenseId: string, kind: Difference['kind']) =>
      plan.items.find((i) => i.difference.licenseId === licenseId && i.difference.kind === kind)?.action;
    expect(action(OF_ROW, 'missed')).toBe('re-read');
    expect(action(OF_ROW, 'unknown-at-platform')).toBe('flag');
    expect(action(ALONE, 'unknown-at-platform')).toBe('adopt-revoke');
    expect(plan.byAction).toMatchObject({ 're-read': 1, 'adopt-revoke': 1, flag: 1 });
  });

  it('is told apart in the plan, not blamed on the policy', () => {
    const plan = planRepairs(rt as never, report(all));
    const en = textPlan(plan, { lang: 'en' });
    expect(en).toContain('1 licenses the platform holds are those of source records licbridge missed');
    expect(en).not.toContain('because reconcile.unknownAtPlatform is flag');
    expect(textPlan(plan)).toContain('平台上有 1 张证照对应的业务记录本系统漏读了');
  });
});
