/**
 * A scheduled full check that fails stores no report, so without a record of the failure the last
 * full check's findings go stale and `status` says nothing. Each failed attempt is kept beside the
 * reports, in the ledger (a failure kept only in Redis is gone after a flush or a failover), as a
 * report row of mode `full-failed` whose summary holds when, which attempt, and the error's code
 * and message — never a record's data.
 */
import { randomUUID } from 'node:crypto';
import { errorLine, isLicbridgeError } from '../../core/errors.js';
import { hideQuoted } from '../../core/quoted-values.js';
import { scrubPersonal } from '../../core/scrub.js';
import type { StoredReport } from '../../ledger/audit-types.js';
import type { Ledger } from '../../ledger/ledger.js';

/** The `mode` of a stored failed attempt; readers of findings skip it (it found nothing). */
export const FAILED_CHECK_MODE = 'full-failed';

/** Characters of an error's message kept: enough to name the cause, not a driver's dump. */
const MESSAGE_LIMIT = 300;

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

/**
 * The message of a failed check as it may be stored and shown: secrets from config references
 * replaced (errorLine), a value quoted in a licbridge error's message — a driver's words it carries,
 * `source S: query failed: … "王小明"` — hidden as the worker's record and the CLI hide it (a name
 * no shape masks; its own backticks and the table and column names kept), any run of seven or more
 * digits — an ID number or phone a driver echoed — cut to its last four, and the length bounded.
 */
export function failureMessage(error: unknown): { code: string | null; message: string } {
  const code = isLicbridgeError(error) ? error.code : null;
  // errorLine appends ` [CODE]`; the code is kept in its own field.
  const line = isLicbridgeError(error)
    ? hideQuoted(error.message, { backticks: false, keepIdentifiers: true })
    : errorLine(error);
  const clean = scrubPersonal(line.replace(/\s+/g, ' ').trim(), [], () => '***');
  const message = clean.length > MESSAGE_LIMIT ? `${clean.slice(0, MESSAGE_LIMIT - 3)}...` : clean;
  return { code, message: message || 'no message' };
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
