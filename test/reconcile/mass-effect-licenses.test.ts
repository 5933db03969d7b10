/**
 * The guard against mass effects counts licenses, as `reconcile.maxRepairShare` is a share of a
 * pipeline's licenses. A license the province and the city both lost is two re-deliveries (one
 * per target) but one license; one deleted at the source and missing at a platform is revoked,
 * and its revocation is what the platform gets (the older version is not reopened). Counted per
 * item, one license of twenty lost at two targets was refused under a 5 % share ("2 of 20
 * licenses"), and a platform that lost every license at two targets read as 200 %.
 */
import { describe, expect, it } from 'vitest';
import { massEffect, planRepairs } from '../../pipelines/reconcile/repair.js';
import type { Difference, ReconcileReport } from '../../pipelines/reconcile/types.js';

const ID = '1.2.156.3005.2.11370200MB12345674001.11370211MB12345672.ZZZZZZZZZZZZZZZZZZZZ';
const LEDGER = { version: 2, versionId: 7, status: 'valid', contentHash: 'h' };

function missingAt(target: string): Difference {
  return {
    kind: 'missing-at-platform',
    licenseId: ID,
    sourceKey: '42',
    target,
    ledger: LEDGER,
    platform: null,
  };
}

const deleted: Difference = {
  kind: 'deleted-at-source',
  licenseId: ID,
  sourceKey: '42',
  target: null,
  ledger: LEDGER,
  platform: null,
};

function report(all: Difference[], total: number): ReconcileReport {
  return {
    reportId: 'r1',
    pipeline: 'food',
    all,
    counts: { ledger: { total } },
  } as unknown as ReconcileReport;
}

const rt = { config: { reconcile: { deletedAtSource: 'revoke' as const, maxRepairShare: 0.05 } } };

describe('the mass-effect guard counts licenses, not plan items', () => {
  it('counts a license re-delivered to two targets once', () => {
    const r = report([missingAt('province'), missingAt('city')], 20);
    const plan = planRepairs(rt as never, r);
    expect(plan.byAction['re-deliver']).toBe(2);
    expect(massEffect(rt as never, plan, r)).toBeNull();
    const small = report(r.all, 10);
    expect(massEffect(rt as never, plan, small)).toMatchObject({
      count: 1,
      total: 10,
      byAction: { 're-deliver': 1 },
    });
  });

  it('counts it while one of its re-deliveries is sent, and not once none is', () => {
    const r = report([missingAt('province'), missingAt('city')], 10);
    const plan = planRepairs(rt as never, r);
    expect(massEffect(rt as never, plan, r, new Set([`${ID}:2:city`]))).toMatchObject({ count: 1 });
    expect(massEffect(rt as never, plan, r, new Set([`${ID}:2:city`, `${ID}:2:province`]))).toBeNull();
  });

  it('counts a license revoked and re-delivered once', () => {
    const r = report([deleted, missingAt('province')], 10);
    const plan = planRepairs(rt as never, r);
    expect(massEffect(rt as never, plan, r)).toMatchObject({
      count: 1,
      byAction: { revoke: 1, 're-deliver': 1 },
    });
    expect(massEffect(rt as never, plan, report(r.all, 20))).toBeNull();
  });
});
