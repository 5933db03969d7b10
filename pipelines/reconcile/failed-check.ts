/**
 * A scheduled full check that fails stores no report, so without a record of the failure the last
 * full check's findings go stale and `status` says nothing. Each failed attempt is kept beside the
 * reports, in the ledger (a failure kept only in Redis is gone after a flush or a failover), as a
 * report row of mode `full-failed` whose summary holds when, which attempt, and the error's code
 * and message — never a record's data.
 */
import { randomUUID } from 'node:crypto';
import { maskPersonalShapes } from '../../catalog/personal.js';
import { isLicbridgeError, maskUserInfo } from '../../core/errors.js';
import { maskPassportShapes } from '../../core/mask.js';
import { hideQuoted } from '../../core/quoted-values.js';
import { scrubPersonal, scrubSecrets } from '../../core/scrub.js';
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

/** A password given in a connection string (`Server=db;User Id=sa;Password=…;`, ODBC's `PWD=…`). */
const PASSWORD_SETTING = /\b(password|pwd)(\s*=\s*)[^;\s]+/gi;

/**
 * An error as it may be stored and shown: a failed check's message in the ledger, a run's light
 * check, and a source's error in `status`, /readyz and the lag probe's log line and kept failure.
 * The one place a driver's words are made safe, so each of them hides what the strictest hid:
 * - values from config references (scrubSecrets), before the text is cut into one line, as a key
 *   holds line breaks;
 * - white space made single spaces first: a quoted value holding a line break was not seen as
 *   quoted (core/quoted-values.ts reads one line), and its words stood on either side;
 * - a quoted value hidden as the CLI hides it, its table, column and constraint names kept; a
 *   licbridge error's backticks name config values and stay, anything else's (MySQL's, or text
 *   told before and of unknown origin) may quote a value;
 * - a URL's user and password, and a connection string's password;
 * - numbers, by both rules, a character hidden by either stays hidden: a credit code, ID number or
 *   run of seven or more digits keeps its last four (scrubPersonal), and an ID number or mobile
 *   number written in groups (`110105 19491231 002X`, `138 0013 8000`) and a passport number
 *   (`E*******8`), which that rule leaves in part or whole, are masked as records mask them.
 * Then the length is bounded. `code` is the licbridge error code, or null for a foreign error.
 */
export function failureMessage(error: unknown): { code: string | null; message: string } {
  const code = isLicbridgeError(error) ? error.code : null;
  const text = scrubSecrets(error instanceof Error ? error.message : String(error))
    .replace(/\s+/g, ' ')
    .trim();
  const hidden = hideQuoted(text, { backticks: !isLicbridgeError(error), keepIdentifiers: true })
    .split(' ')
    .map(maskUserInfo)
    .join(' ')
    .replace(PASSWORD_SETTING, '$1$2***');
  const clean = starredInEither(
    hidden,
    scrubPersonal(hidden, [], () => '***'),
    maskPassportShapes(maskPersonalShapes(hidden)),
  );
  const message = clean.length > MESSAGE_LIMIT ? `${clean.slice(0, MESSAGE_LIMIT - 3)}...` : clean;
  return { code, message: message || 'no message' };
}

/**
 * `text` with a `*` wherever `a` or `b`, two maskings of it, put one. Both replace characters by
 * `*` where they stand, never moving one, so the text keeps what neither hid; should one ever
 * move a character, the two are applied one after the other instead.
 */
function starredInEither(text: string, a: string, b: string): string {
  if (a.length !== text.length || b.length !== text.length) return scrubPersonal(b, [], () => '***');
  let out = '';
  for (let i = 0; i < text.length; i++) out += a[i] === '*' || b[i] === '*' ? '*' : text[i];
  return out;
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
