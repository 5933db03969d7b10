/**
 * A scheduled full check that fails stores no report, so without a record of the failure the last
 * full check's findings go stale and `status` says nothing. Each failed attempt is kept beside the
 * reports, in the ledger (a failure kept only in Redis is gone after a flush or a failover), as a
 * report row of mode `full-failed` whose summary holds when, which attempt, and the error's code
 * and message as failureMessage (core/errors.ts) makes it — never a record's data.
 */
import { randomUUID } from 'node:crypto';
import { failureMessage, isLicbridgeError } from '../../core/errors.js';
import type { StoredReport } from '../../ledger/audit-types.js';
import type { Ledger } from '../../ledger/ledger.js';

/** The `mode` of a stored failed attempt; readers of findings skip it (it found nothing). */
export const FAILED_CHECK_MODE = 'full-failed';

export interface FailedCheck {
  reportId: string;
  /** When the attempt failed, ISO 8601. */
  at: string;
  /** The licbridge error code (`LB_SOURCE_UNREACHABLE`, …), or null for a foreign error. */
  code: string | null;
  message: string;
  /** The job attempt that failed (1-based) and the attempts the job has. */
  attempt: number;
  attempts: number;
  /** No attempt follows: the last one, or an error no retry can pass. */
  final: boolean;
}

/** Stores one failed attempt of a scheduled full check of `pipeline`. */
export async function recordFailedCheck(
  ledger: Pick<Ledger, 'saveReport'>,
  input: { pipeline: string; error: unknown; attempt: number; attempts: number; jobId?: string },
): Promise<void> {
  const { code, message } = failureMessage(input.error);
  // As the worker's classify() decides: a non-retryable licbridge error fails the job at once.
  const final = input.attempt >= input.attempts || (isLicbridgeError(input.error) && !input.error.retryable);
  const failed = {
    code,
    message,
    attempt: input.attempt,
    attempts: input.attempts,
    final,
    jobId: input.jobId ?? null,
  };
  await ledger.saveReport({
    reportId: randomUUID(),
    pipeline: input.pipeline,
    mode: FAILED_CHECK_MODE,
    differences: 0,
    summary: { failed },
    report: { failed },
  });
}

/** The failed attempt a stored report records, or undefined when it is an ordinary report. */
export function failedCheckOf(report: StoredReport): FailedCheck | undefined {
  if (report.mode !== FAILED_CHECK_MODE) return undefined;
  const f = (report.summary.failed ?? {}) as Record<string, unknown>;
  return {
    reportId: report.reportId,
    at: report.createdAt.toISOString(),
    code: typeof f.code === 'string' ? f.code : null,
    message: typeof f.message === 'string' ? f.message : 'no message recorded',
    attempt: Number(f.attempt) || 1,
    attempts: Number(f.attempts) || 1,
    final: f.final !== false,
  };
}
