/**
 * The full-check lines of `licbridge status` (check-failed, check-stale) give their times on the
 * clock `reconcile.schedule` is read on (lifecycle.timeZone), which the check-stale line names
 * beside them, as `licbridge schedule` prints its ticks (core/zoned-time.ts). In UTC ISO the line
 * said `(0 2 * * *, Asia/Shanghai) promised one after 2026-03-08T18:00:00.000Z`: a tick at six in the
 * evening, the day before the 02:00 one a person looks for.
 */
import { describe, expect, it } from 'vitest';
import type { StoredReport } from '../../ledger/audit-types.js';
import { checkHistoryOf, fullCheckAttention } from '../../pipelines/observability/check-attention.js';
import { FAILED_CHECK_MODE } from '../../pipelines/reconcile/failed-check.js';

const report = (reportId: string, mode: string, at: string, summary: Record<string, unknown> = {}) =>
  ({
    reportId,
    pipeline: 'food',
    mode,
    differences: 0,
    summary,
    report: {},
    createdAt: new Date(at),
  }) as StoredReport;

const judge = (reports: StoredReport[]) =>
  fullCheckAttention({
    pipeline: 'food',
    schedule: '0 2 * * *',
    tz: 'Asia/Shanghai',
    history: checkHistoryOf(reports),
    lastRunStart: null,
    // 11:00 on 10 March in Beijing.
    now: new Date('2026-03-10T03:00:00Z'),
  });

describe('the full-check lines on the schedule clock', () => {
  it('check-stale: the last completed check and the tick it missed, in Asia/Shanghai', () => {
    const [note] = judge([report('f0', 'full', '2026-03-07T18:30:00Z')]);
    expect(note?.kind).toBe('check-stale');
    expect(note?.message).toContain('completed at 2026-03-08 02:30 +08:00 (report f0)');
    expect(note?.message).toContain(
      '(`0 2 * * *`, Asia/Shanghai) promised one after 2026-03-09 02:00 +08:00;',
    );
  });

  it('check-failed: when it failed, and the report whose findings are shown', () => {
    const failed = report('x1', FAILED_CHECK_MODE, '2026-03-09T18:01:05Z', {
      failed: {
        code: 'LB_SOURCE_UNREACHABLE',
        message: 'connection refused',
        attempt: 2,
        attempts: 2,
        final: true,
      },
    });
    const [note] = judge([failed, report('f1', 'full', '2026-03-08T18:20:00Z')]);
    expect(note?.kind).toBe('check-failed');
    expect(note?.message).toContain('failed at 2026-03-10 02:01:05 +08:00 (attempt 2 of 2)');
    expect(note?.message).toContain('those of report f1 (2026-03-09 02:20 +08:00)');
  });
});
