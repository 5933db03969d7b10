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
 * The login a driver names (`for user "app"`, `role "app" does not exist`, `Access denied for user
 * 'app'@'host'`, `Login failed for user 'app'`), or licbridge after it (``login failed as user
 * `app` ``): the quoted name, and the host quoted after it.
 */
const LOGIN = /\b((?:user(?:name)?|role|login)\s*[=:]?\s*)(["'`])[^"'`]*\2(@(["'`])[^"'`]*\4)?/gi;
/** A URL's user part, with or without a password and a scheme (`//app@db`, `//app:pw@db`). */
const URL_USER = /\/\/[^/@\s]+@/g;

export interface FailureMessageOptions {
  /**
   * Hide the login a driver names ({@link LOGIN}) and a URL's user, as well as its password.
   * /readyz hides them: its body goes to a monitor, and docs/operations.md promises it without
   * logins. `status`, the CLI and what the ledger and Redis keep show the login, the account whose
   * grant or password to fix (docs/troubleshooting.md: ``login failed as user `U` ``); it is an
   * account of the database, not a holder's data, and no secret.
   * @defaultValue false
   */
  hideLogins?: boolean;
  /**
   * `error` is a line licbridge made safe before (errorLine, storedReason): a driver's backticks
   * were hidden there, and those left name config values (`` `licbridge status` ``), kept.
   * @defaultValue false: text of unknown origin has what its backticks hold hidden
   */
  toldSafe?: boolean;
  /**
   * Cut the message to {@link MESSAGE_LIMIT} characters, for what is stored or served. The CLI
   * prints a message whole to the person who ran the command.
   * @defaultValue true
   */
  bounded?: boolean;
  /**
   * `shapes`: mask numbers by their shape only (resident ID, mobile and passport numbers, as
   * records mask them) and leave other runs of digits and credit codes whole. For the CLI printing
   * a licbridge error: its own words name license ids, catalog codes and option values the person
   * gave (`1.2.156.3005.2.11370200MB1234567X001…`, `` `3000000000` ``), which the rule for any run
   * of seven digits would cut.
   * @defaultValue 'all'
   */
  numbers?: 'all' | 'shapes';
}

/**
 * An error as it may be stored and shown: a failed check's message in the ledger, a run's light
 * check, a source's error in `status`, /readyz and the lag probe's log line and kept failure, a
 * job's failed reason in Redis (workers/base.ts), the error of a run given up (run-given-up.ts), and
 * what the CLI prints of an error (cli/errors.ts).
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
 *   (`E*******8`), which that rule leaves in part or whole, are masked as records mask them;
 * - with `hideLogins`, the login a driver names.
 * Then the length is bounded. `code` is the licbridge error code, or null for a foreign error.
 */
export function failureMessage(
  error: unknown,
  options: FailureMessageOptions = {},
): { code: string | null; message: string } {
  const code = isLicbridgeError(error) ? error.code : null;
  const text = scrubSecrets(error instanceof Error ? error.message : String(error))
    .replace(/\s+/g, ' ')
    .trim();
  const backticks = !isLicbridgeError(error) && options.toldSafe !== true;
  let hidden = hideQuoted(text, { backticks, keepIdentifiers: true })
    .split(' ')
    .map(maskUserInfo)
    .join(' ')
    .replace(PASSWORD_SETTING, '$1$2***');
  if (options.hideLogins === true) hidden = hidden.replace(URL_USER, '//***@').replace(LOGIN, '$1$2***$2');
  const shapes = maskPassportShapes(maskPersonalShapes(hidden));
  const clean =
    options.numbers === 'shapes'
      ? shapes
      : starredInEither(
          hidden,
          scrubPersonal(hidden, [], () => '***'),
          shapes,
        );
  const chars = Array.from(clean);
  // Cut by characters, not UTF-16 units: half of a character outside the BMP is no character.
  const message =
    options.bounded !== false && chars.length > MESSAGE_LIMIT
      ? `${chars.slice(0, MESSAGE_LIMIT - 3).join('')}...`
      : clean;
  return { code, message: message || 'no message' };
}

/**
 * A stack's frames (`    at fn (file:line:col)`) after a line break, without the message that
 * opens the stack (it holds the driver's words raw: show failureMessage's before them), values from
 * config references replaced and numbers masked; '' when it has none.
 */
export function stackFrames(error: unknown): string {
  if (!(error instanceof Error) || error.stack === undefined) return '';
  const frames = error.stack.split('\n').filter((l) => /^\s+at /.test(l));
  return frames.length === 0
    ? ''
    : `\n${scrubPersonal(maskPersonalShapes(scrubSecrets(frames.join('\n'))), [], () => '***')}`;
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
