/**
 * The terminal report lists the first twenty differing licenses and the repair plan its first fifty
 * items. Past those, the lists ended without a word: a check of 120 differences printed twenty
 * licenses under "first differing licenses", and a plan of 120 revocations fifty lines, with
 * nothing telling the reader the rest were left out (the HTML report says `50 of 120 shown`).
 * Each cut list now says how many it left out, as the CLI's other lists do ("and N more").
 */
import { describe, expect, it } from 'vitest';
import { planRepairs } from '../../pipelines/reconcile/repair.js';
import { reconcileSettings, reportOptions } from '../../pipelines/reconcile/settings.js';
import { textPlan, textReport } from '../../pipelines/reconcile/text-report.js';
import { DIFFERENCE_KINDS, type Difference, type ReconcileReport } from '../../pipelines/reconcile/types.js';

const DEFAULTS = reportOptions(reconcileSettings({ config: {} }));

function deletedRows(n: number): Difference[] {
  return Array.from({ length: n }, (_, i) => ({
    kind: 'deleted-at-source' as const,
    licenseId: `L${i}`,
    sourceKey: `k${i}`,
    target: null,
    ledger: { version: 1, versionId: i + 1, status: 'valid', contentHash: 'h' },
    platform: null,
  }));
}

/** A full check that found `all`, of which the first `sample` are in its sample (reconcile.sample). */
function report(all: Difference[], sample: number): ReconcileReport {
  const byKind = Object.fromEntries(DIFFERENCE_KINDS.map((k) => [k, 0])) as ReconcileReport['byKind'];
  for (const d of all) byKind[d.kind] += 1;
  return {
    reportId: 'r1',
    pipeline: 'food',
    mode: 'full',
    licenseType: '11370200MB12345674001',
    startedAt: '2026-01-01T00:00:00.000Z',
    finishedAt: '2026-01-01T00:00:05.000Z',
    counts: {
      source: { total: 0, byStatus: {}, byArea: {}, quarantined: 0 },
      ledger: { total: all.length, byStatus: { valid: all.length }, byArea: {} },
      targets: {},
    },
    buckets: { total: 4096, differing: 1 },
    byKind,
    byKindAndSide: {},
    differences: all.length,
    sample: all.slice(0, sample).map((d) => ({ ...d, number: null, holderName: null, holderId: null })),
    all,
  };
}

/** The lines of a report naming a difference by its source key (`k0`, `k1`, …). */
const keyLines = (text: string) => text.split('\n').filter((l) => / k\d+( |$)/.test(l));

describe('a cut list says what it left out', () => {
  it('the differing licenses: twenty of 120 listed, the other 100 told of', () => {
    const all = deletedRows(120);
    const zh = textReport(report(all, 50), DEFAULTS);
    expect(keyLines(zh)).toHaveLength(20);
    expect(zh).toContain('另有 100 处差异未在此列出');
    expect(zh).toContain('--html');
    const en = textReport(report(all, 50), { ...DEFAULTS, lang: 'en' });
    expect(en).toContain('and 100 more not listed here');
    expect(en).toContain('--html lists the first 50');
  });

  it('a sample smaller than twenty: every one of it shown, the rest told of without the HTML hint', () => {
    const all = deletedRows(30);
    const en = textReport(report(all, 10), { ...DEFAULTS, lang: 'en' });
    expect(keyLines(en)).toHaveLength(10);
    expect(en).toContain('and 20 more not listed here');
    expect(en).not.toContain('--html lists');
  });

  it('nothing is said when every difference is listed', () => {
    const all = deletedRows(20);
    const en = textReport(report(all, 50), { ...DEFAULTS, lang: 'en' });
    expect(keyLines(en)).toHaveLength(20);
    expect(en).not.toContain('more not listed');
  });

  it('the repair plan: fifty of 120 items listed, the other 70 told of', () => {
    const all = deletedRows(120);
    const plan = planRepairs(
      { config: { reconcile: { deletedAtSource: 'revoke' } } } as never,
      report(all, 50),
    );
    expect(plan.items).toHaveLength(120);
    const zh = textPlan(plan, DEFAULTS);
    expect(keyLines(zh)).toHaveLength(50);
    expect(zh).toContain('另有 70 项未列出');
    const en = textPlan(plan, { lang: 'en' });
    expect(en).toContain('and 70 more items not listed');
    const whole = textPlan(planRepairs({ config: {} } as never, report(deletedRows(50), 50)), { lang: 'en' });
    expect(whole).not.toContain('not listed');
  });
});
