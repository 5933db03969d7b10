/**
 * `licbridge reconcile`'s exit status (docs/reconciliation.md): a check that found no difference
 * but could not ask a target exits 3, not 0 — a scheduled script reading 0 as "source, ledger and
 * platforms agree" must not be told so of a platform nobody looked at.
 */
import { describe, expect, it } from 'vitest';
import { reconcileExitCode } from '../../cli/commands/reconcile.js';
import { EXIT_ATTENTION, EXIT_FAILED } from '../../cli/errors.js';
import { DIFFERENCE_KINDS, type ReconcileReport } from '../../pipelines/reconcile/types.js';

function report(
  differences: number,
  targets: ReconcileReport['counts']['targets'],
  pipeline = 'food',
): ReconcileReport {
  return {
    reportId: `r-${pipeline}`,
    pipeline,
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
    differences,
    sample: [],
    all: [],
  };
}

const asked = { total: 3, byStatus: { valid: 3 } };
const unasked = { unavailable: 'the target offers no lookup' };

describe('licbridge reconcile exit status', () => {
  it('is 0 only when every side was compared and none differs', () => {
    expect(reconcileExitCode([report(0, { province: asked })])).toBeUndefined();
  });

  it('is 3 when no difference was found but a target could not be asked', () => {
    expect(reconcileExitCode([report(0, { province: asked, city: unasked })])).toBe(EXIT_ATTENTION);
    // One pipeline of several is enough.
    expect(reconcileExitCode([report(0, { province: asked }), report(0, { city: unasked }, 'drugs')])).toBe(
      EXIT_ATTENTION,
    );
  });

  it('is 1 when a difference remains, whatever else', () => {
    expect(reconcileExitCode([report(2, { province: asked })])).toBe(EXIT_FAILED);
    expect(reconcileExitCode([report(0, { city: unasked }), report(1, { province: asked }, 'drugs')])).toBe(
      EXIT_FAILED,
    );
  });
});
