/**
 * The guard against mass effects counts licenses. A license only the platforms hold, at two
 * targets, is two differences of the report but one adoption (repair.ts adopts it once, after the
 * highest version): counted twice, a plan adopting one license of twenty was refused under a 5 %
 * share, and `--allow-mass` had to name a count of licenses the plan does not touch. The plan
 * itself lists it once, naming both targets: listed per target, it read as two adoptions.
 */
import { describe, expect, it } from 'vitest';
import { massEffect, planRepairs } from '../../pipelines/reconcile/repair.js';
import { textPlan } from '../../pipelines/reconcile/text-report.js';
import type { Difference, ReconcileReport } from '../../pipelines/reconcile/types.js';

const ID = '1.2.156.3005.2.11370200MB12345674001.11370211MB12345672.ZZZZZZZZZZZZZZZZZZZZ';

function unknownAt(target: string, version: number): Difference {
  return {
    kind: 'unknown-at-platform',
    licenseId: ID,
    sourceKey: null,
    target,
    ledger: null,
    platform: { version, status: 'valid', contentHash: null, platformId: `P-${target}` },
  };
}

const report = {
  reportId: 'r1',
  pipeline: 'food',
  all: [unknownAt('city', 1), unknownAt('province', 2)],
  counts: { ledger: { total: 20 } },
} as unknown as ReconcileReport;
const rt = { config: { reconcile: { unknownAtPlatform: 'revoke' as const, maxRepairShare: 0.05 } } };

describe('the mass-effect guard and a license adopted from two targets', () => {
  it('counts it once', () => {
    const plan = planRepairs(rt as never, report);
    expect(plan.byAction['adopt-revoke']).toBe(1);
    expect(massEffect(rt as never, plan, report)).toBeNull();
    const twice = { ...report, counts: { ledger: { total: 10 } } } as unknown as ReconcileReport;
    expect(massEffect(rt as never, plan, twice)).toMatchObject({ count: 1, byAction: { 'adopt-revoke': 1 } });
  });

  it('plans it once, after the highest version, naming both targets', () => {
    const plan = planRepairs(rt as never, report);
    expect(plan.items).toHaveLength(1);
    expect(plan.items[0]).toMatchObject({
      action: 'adopt-revoke',
      difference: { target: 'province', platform: { version: 2 } },
      targets: ['city', 'province'],
    });
    const lines = textPlan(plan, { lang: 'en' }).split('\n');
    expect(lines.filter((l) => l.includes(ID))).toEqual([expect.stringMatching(/ @city, province$/)]);
  });
});

describe('a license only the platforms hold, at two targets, flagged', () => {
  it('is told of as one license', () => {
    const flagging = { config: { reconcile: { unknownAtPlatform: 'flag' as const, maxRepairShare: 0.05 } } };
    const plan = planRepairs(flagging as never, report);
    const text = textPlan(plan, { lang: 'en' });
    expect(text).toContain('  1 licenses only the platform holds are only flagged');
    expect(textPlan(plan, { lang: 'zh' })).toContain('平台上有 1 张本系统没有记录的证照');
  });
});
