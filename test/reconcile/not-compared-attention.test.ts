/**
 * A target that `reconcile --target` left out of a full check is not one that cannot be asked: it
 * can be, by a full check of every target. `status` advised giving it a kind that can be read back,
 * and the HTML report labelled it 无法查询 (cannot be asked). Both now say it was not compared in
 * the last check and to run a full check; a target that truly cannot be asked keeps its own advice.
 */
import { describe, expect, it } from 'vitest';
import { unreadTargetAttention } from '../../pipelines/observability/check-attention.js';
import { htmlReport } from '../../pipelines/reconcile/html-report.js';
import { NOT_ASKED } from '../../pipelines/reconcile/not-compared.js';
import { reconcileSettings, reportOptions } from '../../pipelines/reconcile/settings.js';
import { textReport } from '../../pipelines/reconcile/text-report.js';
import { DIFFERENCE_KINDS, type ReconcileReport } from '../../pipelines/reconcile/types.js';

const ZH = reportOptions(reconcileSettings({ config: {} }));
const EN = { ...ZH, lang: 'en' as const };
const NO_LOOKUP = 'the target offers no lookup';

function agreeing(targets: ReconcileReport['counts']['targets']): ReconcileReport {
  return {
    reportId: 'r1',
    pipeline: 'food',
    mode: 'full',
    licenseType: '11370200MB12345674001',
    startedAt: '2026-01-01T00:00:00.000Z',
    finishedAt: '2026-01-01T00:00:05.000Z',
    counts: {
      source: { total: 3, byStatus: { valid: 3 }, byArea: {}, quarantined: 0 },
      ledger: { total: 3, byStatus: { valid: 3 }, byArea: {} },
      targets,
    },
    buckets: { total: 4096, differing: 0 },
    byKind: Object.fromEntries(DIFFERENCE_KINDS.map((k) => [k, 0])) as ReconcileReport['byKind'],
    byKindAndSide: {},
    differences: 0,
    sample: [],
    all: [],
  };
}

const stored = (targets: Record<string, unknown>) => ({
  reportId: 'u1-full',
  summary: { counts: { targets } },
});

describe('status: a target the last full check left out', () => {
  it('says it was not compared and to run a full check, not to give it another kind', () => {
    const notes = unreadTargetAttention('food', stored({ province: { unavailable: NOT_ASKED } }));
    expect(notes).toHaveLength(1);
    const [note] = notes;
    expect(note?.kind).toBe('check-unread');
    expect(note?.message).toContain('province not compared in the last full check (report u1-full)');
    expect(note?.message).toContain('`--target`');
    expect(note?.message).toContain('`licbridge reconcile food`');
    expect(note?.message).not.toContain('could not ask');
    expect(note?.message).not.toContain('a kind that can be read back');
  });

  it('keeps the advice for a target that cannot be asked, each on its own line', () => {
    const notes = unreadTargetAttention(
      'food',
      stored({ city: { unavailable: NO_LOOKUP }, province: { unavailable: NOT_ASKED } }),
    );
    expect(notes.map((n) => n.kind)).toEqual(['check-unread', 'check-unread']);
    const [cannot, leftOut] = notes.map((n) => n.message);
    expect(cannot).toContain(`could not ask target(s) city (${NO_LOOKUP})`);
    expect(cannot).toContain('a kind that can be read back');
    expect(cannot).not.toContain('province');
    expect(leftOut).toContain('province not compared');
    expect(leftOut).not.toContain('city');
  });
});

describe('the HTML report: a target the check left out', () => {
  const r = agreeing({ province: { unavailable: NOT_ASKED } });

  it('labels it not compared (未核对), with the full check to run, not 无法查询', () => {
    const zh = htmlReport(r, ZH);
    expect(zh).not.toContain('无法查询');
    expect(zh).toContain(
      '<td colspan="2">未核对：本次核对只限于其他平台（--target）；完整核对：licbridge reconcile food</td>',
    );
    expect(zh).toMatch(/class="lead bad">[^<]*本次核对只限于其他平台（--target），未与平台 province 核对/);
    const en = htmlReport(r, EN);
    expect(en).not.toContain('cannot be asked');
    expect(en).not.toContain('could not be asked');
    expect(en).toContain('not compared: the check was limited to other targets (--target)');
    expect(en).toMatch(/class="lead bad">[^<]*province not compared; run a full check/);
  });

  it('still says 无法查询 of a target that cannot be asked', () => {
    const zh = htmlReport(
      agreeing({ city: { unavailable: NO_LOOKUP }, province: { unavailable: NOT_ASKED } }),
      ZH,
    );
    expect(zh).toMatch(/class="lead bad">[^<]*平台 city 无法查询/);
    expect(zh).toContain(`无法查询：${NO_LOOKUP}`);
    expect(zh).toContain('未核对：本次核对只限于其他平台');
  });
});

describe('the terminal report: a target the check left out', () => {
  const r = agreeing({ province: { unavailable: NOT_ASKED } });

  it('says not compared (未核对) with the full check to run, as the HTML report does', () => {
    const zh = textReport(r, ZH);
    expect(zh).not.toContain('无法查询');
    expect(zh).toContain(
      '  平台 province：未核对：本次核对只限于其他平台（--target）；完整核对：licbridge reconcile food\n',
    );
    expect(zh).toContain(
      '  没有发现差异，但本次核对只限于其他平台（--target），未与平台 province 核对；请运行完整核对。',
    );
    // One wording: the HTML report's row and lead read the same.
    const html = htmlReport(r, ZH);
    expect(html).toContain('未核对：本次核对只限于其他平台（--target）；完整核对：licbridge reconcile food');
    expect(html).toContain('未与平台 province 核对；请运行完整核对。');
    const en = textReport(r, EN);
    expect(en).not.toContain('unavailable');
    expect(en).not.toContain('could not be asked');
    expect(en).toContain(
      '  province: not compared: the check was limited to other targets (--target); full check: licbridge reconcile food\n',
    );
    expect(en).toContain('province not compared; run a full check.');
  });

  it('still says 无法查询 of a target that cannot be asked, on its own line', () => {
    const zh = textReport(
      agreeing({ city: { unavailable: NO_LOOKUP }, province: { unavailable: NOT_ASKED } }),
      ZH,
    );
    expect(zh).toContain(`  平台 city：无法查询：${NO_LOOKUP}\n`);
    expect(zh).toMatch(/^ {2}没有发现差异，但平台 city 无法查询，未核对$/m);
    expect(zh).toContain('  平台 province：未核对：');
    expect(zh).toContain('未与平台 province 核对');
    expect(zh).not.toMatch(/平台 [^\n]*province[^\n]*无法查询/);
  });
});
