/**
 * A license the platform holds that the ledger holds under a pipeline no longer in the config (the
 * pipeline was renamed or removed: `unknown-at-platform` with `outsideConfig`) was explained as
 * every `unknown-at-platform` is: a license "licbridge has no record of", and licbridge's side of
 * it read "not made". licbridge does hold it, under the old pipeline, and no check compares it: the
 * reports now say so, in a group of their own beside the licenses licbridge has no record of.
 */
import { describe, expect, it } from 'vitest';
import { htmlReport } from '../../pipelines/reconcile/html-report.js';
import type { RepairPlan } from '../../pipelines/reconcile/repair.js';
import { reconcileSettings, reportOptions } from '../../pipelines/reconcile/settings.js';
import { planHints, textReport } from '../../pipelines/reconcile/text-report.js';
import { DIFFERENCE_KINDS, type Difference, type ReconcileReport } from '../../pipelines/reconcile/types.js';

const ZH = reportOptions(reconcileSettings({ config: {} }));
const EN = { ...ZH, lang: 'en' as const };

function atPlatform(licenseId: string, outsideConfig: boolean): Difference {
  return {
    kind: 'unknown-at-platform',
    licenseId,
    sourceKey: null,
    target: 'province',
    ledger: null,
    platform: { version: 1, status: 'valid', contentHash: null, platformId: `P-${licenseId}` },
    ...(outsideConfig ? { outsideConfig: true as const } : {}),
  };
}

function report(differences: Difference[]): ReconcileReport {
  const byKind = Object.fromEntries(DIFFERENCE_KINDS.map((k) => [k, 0])) as ReconcileReport['byKind'];
  for (const d of differences) byKind[d.kind] += 1;
  return {
    reportId: 'r1',
    pipeline: 'food-licenses',
    mode: 'full',
    licenseType: '11370200MB12345674001',
    startedAt: '2026-01-01T00:00:00.000Z',
    finishedAt: '2026-01-01T00:00:05.000Z',
    counts: {
      source: { total: 1, byStatus: { valid: 1 }, byArea: {}, quarantined: 0 },
      ledger: { total: 1, byStatus: { valid: 1 }, byArea: {} },
      targets: { province: { total: 4, byStatus: { valid: 4 } } },
    },
    buckets: { total: 4096, differing: 0 },
    byKind,
    byKindAndSide: {},
    differences: differences.length,
    sample: differences.map((d) => ({ ...d, number: null, holderName: null, holderId: null })),
    all: differences,
  };
}

/** The lines of a terminal report from the one starting with `head` up to the next group's head. */
function group(text: string, head: string): string {
  const lines = text.split('\n');
  const at = lines.findIndex((l) => l.startsWith(`    ${head}`));
  if (at < 0) throw new Error(`no group ${head} in\n${text}`);
  return lines.slice(at, at + 3).join('\n');
}

describe('licenses held under a pipeline no longer in the config', () => {
  const renamed = report([atPlatform('L1', true), atPlatform('L2', true), atPlatform('L3', true)]);

  it('are not said to be unknown to licbridge', () => {
    const en = textReport(renamed, EN);
    expect(en).not.toContain('no record of');
    expect(
      group(
        en,
        'extra at the platform (held under a pipeline no longer in the config or no longer delivering here): 3',
      ),
    ).toContain('that licbridge holds under a pipeline no longer in the config');
    expect(en).toContain('put the old pipeline back in the config');
    // licbridge's side of each license: held there, not "not made".
    expect(en).toContain('licbridge held under a pipeline no longer in the config');
    expect(en).not.toContain('not made');
    const zh = textReport(renamed, ZH);
    expect(zh).not.toContain('没有它的记录');
    expect(zh).toContain('平台多出（所属流水线已不在配置中或不再推送到该平台）：3');
    expect(zh).toContain('本系统也有它的记录，但它属于配置文件中已没有的流水线');
    expect(zh).toContain('本系统 属于已不在配置中或不再推送到该平台的流水线');
    // Either puts them back under a check, as in English: alternatives, not two steps.
    expect(zh).toContain('或把原流水线加回配置文件，或把该平台加回它的推送目标（它的核对会比对这些证照）');
    expect(zh).not.toContain('未生成');
    const html = htmlReport(renamed, ZH);
    expect(html).not.toContain('没有它的记录');
    expect(html).toContain('本系统也有它的记录');
  });

  it('have a plan line naming either way back under a check', () => {
    const items = (renamed.all ?? []).map((difference) => ({ action: 'flag', difference }));
    const plan = { pipeline: 'food-business-licenses', items } as unknown as RepairPlan;
    expect(planHints(plan, 'en').join('\n')).toContain(
      'or put the old pipeline back in the config, or the platform back in its targets.',
    );
    expect(planHints(plan, 'zh').join('\n')).toContain(
      '或把原流水线加回配置文件，或把该平台加回它的推送目标。',
    );
  });

  it('are explained apart from the licenses licbridge has no record of', () => {
    const both = report([atPlatform('L1', true), atPlatform('L2', false), atPlatform('L3', false)]);
    const en = textReport(both, EN);
    expect(group(en, 'only at the platform: 2')).toContain('that licbridge has no record of');
    expect(
      group(
        en,
        'extra at the platform (held under a pipeline no longer in the config or no longer delivering here): 1',
      ),
    ).not.toContain('no record of');
    const html = htmlReport(both, EN);
    expect(html).toContain('only at the platform: 2');
    expect(html).toContain(
      'extra at the platform (held under a pipeline no longer in the config or no longer delivering here): 1',
    );
  });
});
