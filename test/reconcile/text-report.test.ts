/**
 * The terminal report as people read it: a clean check says so in one line without internal
 * counts (no "buckets: 189 of 4096 differ" before "no differences"), statuses come in one order on
 * every side, Chinese holds no internal term, and a plan that only flags deletions names the
 * policy that would revoke or cancel them instead of asking for `--yes`.
 */
import { describe, expect, it } from 'vitest';
import type { RepairPlan } from '../../pipelines/reconcile/repair.js';
import { reconcileSettings, reportOptions } from '../../pipelines/reconcile/settings.js';
import { planActs, textPlan, textReport } from '../../pipelines/reconcile/text-report.js';
import { DIFFERENCE_KINDS, type Difference, type ReconcileReport } from '../../pipelines/reconcile/types.js';

const INTERNAL = /deleted-at-source|bucket|ledger/i;
/** As a config without a `reconcile` section reads: the schema's zone and `flag` policies. */
const DEFAULTS = reportOptions(reconcileSettings({ config: {} }));

function report(differences: Difference[]): ReconcileReport {
  const byKind = Object.fromEntries(DIFFERENCE_KINDS.map((k) => [k, 0])) as ReconcileReport['byKind'];
  for (const d of differences) byKind[d.kind] += 1;
  return {
    reportId: 'r1',
    pipeline: 'food',
    mode: 'full',
    licenseType: '11370200MB12345674001',
    startedAt: '2026-01-01T00:00:00.000Z',
    finishedAt: '2026-01-01T00:00:05.000Z',
    counts: {
      source: { total: 3, byStatus: { revoked: 1, valid: 2 }, byArea: {}, quarantined: 0 },
      ledger: { total: 3, byStatus: { valid: 2, revoked: 1 }, byArea: {} },
      targets: { province: { total: 3, byStatus: { revoked: 1, valid: 2 } } },
    },
    buckets: { total: 4096, differing: 189 },
    byKind,
    byKindAndSide: {},
    differences: differences.length,
    sample: differences.map((d) => ({
      ...d,
      number: 'JY1',
      holderName: '青岛海滨食品有限公司',
      holderId: '91370211MA3C000000',
    })),
    all: differences,
  };
}

const deleted: Difference = {
  kind: 'deleted-at-source',
  licenseId: 'L1',
  sourceKey: '7',
  target: null,
  ledger: { version: 1, versionId: 1, status: 'valid', contentHash: 'h' },
  platform: null,
};

describe('the terminal report', () => {
  it('says a clean check agrees, in local time, with statuses in one order and no internal counts', () => {
    const zh = textReport(report([]), DEFAULTS);
    expect(zh).toContain('没有差异');
    expect(zh).toContain('2026-01-01 08:00:05 北京时间');
    expect(zh).not.toMatch(INTERNAL);
    expect(zh).not.toContain('4096');
    for (const line of zh.split('\n').filter((l) => l.includes('有效')))
      expect(line).toMatch(/有效 2，撤销 1/);
    const en = textReport(report([]), { ...DEFAULTS, lang: 'en', timeZone: 'UTC' });
    expect(en).toContain('no differences');
    expect(en).toContain('2026-01-01 00:00:05 UTC');
    expect(en).not.toMatch(/bucket/i);
  });

  it("explains a deletion with the province's view and the policy to set", () => {
    const zh = textReport(report([deleted]), DEFAULTS);
    expect(zh).toContain('业务记录已删除：1');
    expect(zh).toContain('reconcile.deletedAtSource: revoke');
    expect(zh).toContain('province 有效（第 1 版）');
    expect(zh).not.toMatch(INTERNAL);
  });

  it('says the source shrank before it advises applying the deletion policy, as the HTML and status do', () => {
    const r = {
      ...report([deleted]),
      sourceShrunk: { sourceKeys: 2, ledgerLicenses: 3, deleted: 1, share: 1 / 3 },
    };
    const revoke = { ...DEFAULTS, policies: { ...DEFAULTS.policies, deletedAtSource: 'revoke' as const } };
    const zh = textReport(r, revoke);
    const notice = zh.indexOf('业务系统中只有 2 条记录，而本系统有 3 张证照（1 张的记录已不存在）');
    expect(notice).toBeGreaterThan(0);
    expect(zh.indexOf('请先检查业务系统，不要直接修复')).toBeGreaterThan(notice);
    // Before the kind's advice to revoke as configured.
    expect(notice).toBeLessThan(zh.indexOf('按配置'));
    expect(zh).not.toMatch(INTERNAL);
    expect(textReport(r, { ...revoke, lang: 'en' })).toContain('check the source before any repair');
    expect(textReport(report([deleted]), revoke)).not.toContain('不要直接修复');
  });

  it('names the policy for deletions a plan only flags, and does not ask for --yes then', () => {
    const plan: RepairPlan = {
      reportId: 'r1',
      pipeline: 'food',
      items: [{ action: 'flag', difference: deleted }],
      byAction: { 're-read': 0, revoke: 0, cancel: 0, 'adopt-revoke': 0, 're-deliver': 0, flag: 1 },
    };
    expect(planActs(plan)).toBe(false);
    const zh = textPlan(plan);
    expect(zh).toContain('reconcile.deletedAtSource 是 flag');
    expect(zh).toContain('licbridge reconcile food --repair --yes');
    expect(zh).not.toMatch(INTERNAL);
    expect(textPlan(plan, { lang: 'en' })).toContain('set reconcile.deletedAtSource: revoke or cancel');
  });
});
