/**
 * A scheduled full check that keeps failing stores no report, and `status` went on showing the last
 * full check's findings as if current. The judgement over the stored reports: `check-failed` when
 * the last attempt failed, `check-stale` when two ticks of `reconcile.schedule` passed without a
 * completed full check.
 */
import { describe, expect, it } from 'vitest';
import { failureMessage, LicbridgeError } from '../../core/errors.js';
import type { StoredReport } from '../../ledger/audit-types.js';
import { ATTENTION_KINDS } from '../../pipelines/observability/attention.js';
import {
  type CheckHistory,
  checkHistoryOf,
  fullCheckAttention,
} from '../../pipelines/observability/check-attention.js';
import { FAILED_CHECK_MODE } from '../../pipelines/reconcile/failed-check.js';

const ZONE = 'Asia/Shanghai';
const SCHEDULE = '0 2 * * *';
// 11:00 Beijing time on 10 March; the nightly checks run at 02:00 Beijing (18:00 UTC the day before).
const NOW = new Date('2026-03-10T03:00:00Z');

const report = (
  reportId: string,
  mode: string,
  at: string,
  summary: Record<string, unknown> = {},
): StoredReport => ({
  reportId,
  pipeline: 'food',
  mode,
  differences: 0,
  summary,
  report: {},
  createdAt: new Date(at),
});
const failure = (reportId: string, at: string, code: string | null = 'LB_SOURCE_UNREACHABLE') =>
  report(reportId, FAILED_CHECK_MODE, at, {
    failed: { code, message: 'source market-food: connection refused', attempt: 2, attempts: 2, final: true },
  });

const judge = (reports: StoredReport[], lastRunStart: Date | null = null, now = NOW) =>
  fullCheckAttention({
    pipeline: 'food',
    schedule: SCHEDULE,
    tz: ZONE,
    history: checkHistoryOf(reports),
    lastRunStart,
    now,
  });
const kinds = (reports: StoredReport[], lastRunStart: Date | null = null, now = NOW) =>
  judge(reports, lastRunStart, now).map((a) => a.kind);

describe('full checks that stopped saying anything', () => {
  it('are attention kinds of their own, so /metrics counts them', () => {
    expect(ATTENTION_KINDS).toContain('check-failed');
    expect(ATTENTION_KINDS).toContain('check-stale');
  });

  it('a check completed at the last tick needs nobody', () => {
    expect(
      kinds([report('l1', 'light', '2026-03-10T02:00:00Z'), report('f1', 'full', '2026-03-09T18:20:00Z')]),
    ).toEqual([]);
  });

  it('a failed last attempt says when, the code and the message, and which findings still show', () => {
    const notes = judge([
      failure('x2', '2026-03-09T18:01:05Z'),
      failure('x1', '2026-03-09T18:00:30Z'),
      report('f1', 'full', '2026-03-08T18:20:00Z'),
    ]);
    expect(notes.map((n) => n.kind)).toEqual(['check-failed']);
    const message = notes[0]?.message ?? '';
    expect(message).toContain('failed at 2026-03-10 02:01:05 +08:00 (attempt 2 of 2)');
    expect(message).toContain('LB_SOURCE_UNREACHABLE: source market-food: connection refused');
    expect(message).toContain('report f1');
    expect(message).toContain('licbridge reconcile food');
  });

  it('an attempt BullMQ will retry says so', () => {
    const retried = report('x1', FAILED_CHECK_MODE, '2026-03-09T18:00:30Z', {
      failed: {
        code: 'LB_TARGET_UNREACHABLE',
        message: 'target province: timeout',
        attempt: 1,
        attempts: 2,
        final: false,
      },
    });
    const notes = judge([retried, report('f1', 'full', '2026-03-08T18:20:00Z')]);
    expect(notes[0]?.message).toContain(
      '(attempt 1 of 2, to be retried): LB_TARGET_UNREACHABLE: target province: timeout',
    );
  });

  it('a failure a later attempt or check made good is past', () => {
    expect(
      kinds([report('f2', 'full', '2026-03-09T18:03:00Z'), failure('x1', '2026-03-09T18:00:30Z')]),
    ).toEqual([]);
  });

  it('light checks after a failure do not hide it', () => {
    expect(
      kinds([
        report('l2', 'light', '2026-03-10T02:00:00Z'),
        failure('x1', '2026-03-09T18:00:30Z'),
        report('f1', 'full', '2026-03-08T18:20:00Z'),
      ]),
    ).toEqual(['check-failed']);
  });

  it('failed attempts do not stand for the latest findings', () => {
    const gap = report('l1', 'light', '2026-03-09T10:00:00Z', { byKind: { missed: 3 } });
    const history: CheckHistory = checkHistoryOf([failure('x1', '2026-03-09T18:00:30Z'), gap]);
    expect(history.latest?.reportId).toBe('l1');
    expect(history.lastFull).toBeUndefined();
    expect(history.lastFailure?.reportId).toBe('x1');
  });

  it('one tick missed is not yet stale: its check may still be running or retried', () => {
    // The check of 9 March 02:00 (Beijing) completed; the one of 10 March 02:00 did not.
    expect(kinds([report('f1', 'full', '2026-03-08T18:30:00Z')])).toEqual([]);
  });

  it('two ticks without a completed full check is stale, the ticks read in the schedule zone', () => {
    const notes = judge([report('f0', 'full', '2026-03-07T18:30:00Z')]);
    expect(notes.map((n) => n.kind)).toEqual(['check-stale']);
    expect(notes[0]?.message).toContain('completed at 2026-03-08 02:30 +08:00 (report f0)');
    // The tick before last: 02:00 on 9 March in Beijing (18:00 UTC on the 8th), on that clock.
    expect(notes[0]?.message).toContain('promised one after 2026-03-09 02:00 +08:00');
    expect(notes[0]?.message).toContain(ZONE);
  });

  it('a check failing night after night is both failed and stale', () => {
    expect(
      kinds([
        failure('x3', '2026-03-09T18:00:30Z'),
        failure('x2', '2026-03-08T18:00:30Z'),
        report('f0', 'full', '2026-03-07T18:30:00Z'),
      ]),
    ).toEqual(['check-failed', 'check-stale']);
  });

  it('a pipeline in use for days that never had a full check is stale; a new one is not yet', () => {
    expect(kinds([], new Date('2026-03-01T00:00:00Z'))).toEqual(['check-stale']);
    expect(kinds([report('l1', 'light', '2026-03-02T00:00:00Z')], new Date('2026-03-10T02:00:00Z'))).toEqual([
      'check-stale',
    ]);
    expect(kinds([], new Date('2026-03-09T20:00:00Z'))).toEqual([]);
    expect(kinds([], null)).toEqual([]);
  });
});

describe('the failure as stored', () => {
  it('keeps a licbridge error code apart from its message', () => {
    const e = new LicbridgeError(
      'LB_TARGET_UNREACHABLE',
      'target province: connect ECONNREFUSED 10.0.0.5:443',
    );
    expect(failureMessage(e)).toEqual({
      code: 'LB_TARGET_UNREACHABLE',
      message: 'target province: connect ECONNREFUSED 10.0.0.5:443',
    });
  });

  it('cuts an ID number a driver echoed to its last four digits, and bounds the length', () => {
    const e = new Error(
      `invalid value 370211199001011234: duplicate key value (ZJHM)=(370211199001011234) ${'x'.repeat(400)}`,
    );
    const { code, message } = failureMessage(e);
    expect(code).toBeNull();
    expect(message).not.toContain('370211199001011234');
    expect(message).toContain('**************1234');
    // A key's value in parentheses is hidden whole (errorLine, core/quoted-values.ts).
    expect(message).toContain('(ZJHM)=(***)');
    expect(message.length).toBeLessThanOrEqual(300);
  });
});
