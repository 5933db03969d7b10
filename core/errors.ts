/**
 * licbridge's error classes. Every error carries a stable `code`, a `retryable` flag, a `context`
 * (pipeline, source, record key, job id — never personal data) and the original `cause`.
 * Messages read `component: what failed: detail`.
 */
import { type ErrorTextOptions, maskUserInfo, safeErrorText } from './error-text.js';
import { scrubSecrets } from './scrub.js';

export const ErrorCodes = {
  CONFIG_INVALID: 'LB_CONFIG_INVALID',
  SOURCE_UNREACHABLE: 'LB_SOURCE_UNREACHABLE',
  SOURCE_AUTH: 'LB_SOURCE_AUTH',
  SOURCE_SCHEMA: 'LB_SOURCE_SCHEMA',
  SOURCE_QUERY: 'LB_SOURCE_QUERY',
  MAPPING_COMPILE: 'LB_MAPPING_COMPILE',
  MAPPING_FAILED: 'LB_MAPPING_FAILED',
  CATALOG_INVALID: 'LB_CATALOG_INVALID',
  LICENSE_INVALID: 'LB_LICENSE_INVALID',
  LEDGER: 'LB_LEDGER',
  QUEUE_UNREACHABLE: 'LB_QUEUE_UNREACHABLE',
  SIGNER_KEY: 'LB_SIGNER_KEY',
  SIGNER_FAILED: 'LB_SIGNER_FAILED',
  TARGET_UNREACHABLE: 'LB_TARGET_UNREACHABLE',
  TARGET_REJECTED: 'LB_TARGET_REJECTED',
  TARGET_AUTH: 'LB_TARGET_AUTH',
  /** A repair stopped before acting: it would touch more licenses than a person agreed to. */
  REPAIR_GUARD: 'LB_REPAIR_GUARD',
  /** Another run holds the pipeline (pipelines/pipeline-lease.ts): this one was not started. */
  PIPELINE_BUSY: 'LB_PIPELINE_BUSY',
  USAGE: 'LB_USAGE',
  INTERNAL: 'LB_INTERNAL',
} as const;

export type ErrorCode = (typeof ErrorCodes)[keyof typeof ErrorCodes];

/** Keys that may appear in an error's context. Values are identifiers we control, never row data. */
export interface ErrorContext {
  pipeline?: string;
  source?: string;
  target?: string;
  signer?: string;
  file?: string;
  line?: number;
  column?: number;
  path?: string;
  recordKey?: string;
  jobId?: string;
  runId?: string;
  [key: string]: string | number | boolean | undefined;
}

export interface LicbridgeErrorOptions {
  retryable?: boolean;
  context?: ErrorContext;
  cause?: unknown;
}

export class LicbridgeError extends Error {
  readonly code: ErrorCode;
  readonly retryable: boolean;
  readonly context: ErrorContext;

  constructor(code: ErrorCode, message: string, options: LicbridgeErrorOptions = {}) {
    // Scrubbed before anything can store or print it: no value from a config reference survives.
    super(scrubSecrets(message), options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'LicbridgeError';
    this.code = code;
    this.retryable = options.retryable ?? false;
    this.context = scrubContext(options.context ?? {});
  }

  toJSON(): Record<string, unknown> {
    return { code: this.code, message: this.message, retryable: this.retryable, context: this.context };
  }
}

/** One located problem in a config, mapping or catalog file. */
export interface Problem {
  file: string;
  line: number;
  column: number;
  /** Dotted path inside the document, e.g. `pipelines.food.stream.cursor`. */
  path: string;
  message: string;
}

export function formatProblem(p: Problem): string {
  const where = `${p.file}:${p.line}:${p.column}`;
  return p.path ? `${where}: ${p.path}: ${p.message}` : `${where}: ${p.message}`;
}

/** A config (or mapping, or catalog) file with one or more problems; the CLI exits 2 on it. */
export class ConfigError extends LicbridgeError {
  readonly problems: readonly Problem[];

  constructor(found: Problem[], options: LicbridgeErrorOptions = {}) {
    const problems = found.map((p) => ({
      ...p,
      file: scrubSecrets(p.file),
      path: scrubSecrets(p.path),
      message: scrubSecrets(p.message),
    }));
    const first = problems[0];
    const summary =
      problems.length === 1 && first
        ? `config: ${formatProblem(first)}`
        : `config: ${problems.length} problems:\n${problems.map(formatProblem).join('\n')}`;
    super(ErrorCodes.CONFIG_INVALID, summary, options);
    this.name = 'ConfigError';
    this.problems = problems;
  }
}

function scrubContext(context: ErrorContext): ErrorContext {
  const out: ErrorContext = {};
  for (const [k, v] of Object.entries(context)) out[k] = typeof v === 'string' ? scrubSecrets(v) : v;
  return out;
}

export function isLicbridgeError(e: unknown): e is LicbridgeError {
  return e instanceof LicbridgeError;
}

export interface FailureMessageOptions extends Omit<ErrorTextOptions, 'backticks'> {
  /**
   * `error` is a line licbridge made safe before (errorLine, storedReason): a driver's backticks
   * were hidden there, and those left name config values (`` `licbridge status` ``), kept.
   * @defaultValue false: text of unknown origin has what its backticks hold hidden
   */
  toldSafe?: boolean;
}

/**
 * An error as it may be stored and shown: a failed check's message in the ledger, a run's light
 * check, a source's error in `status`, /readyz and the lag probe's log line and kept failure, a
 * job's failed reason in Redis (pipelines/workers/base.ts), a dead letter's reason, the error of a
 * run given up (pipelines/run-given-up.ts), and what the CLI prints of an error (cli/errors.ts).
 * Its message is made safe by safeErrorText (./error-text.ts), bounded unless told otherwise; a
 * licbridge error's backticks name config values and stay. `code` is the licbridge error code, or
 * null for a foreign error.
 */
export function failureMessage(
  error: unknown,
  options: FailureMessageOptions = {},
): { code: string | null; message: string } {
  const own = isLicbridgeError(error);
  const { toldSafe, ...text } = options;
  const message = safeErrorText(error instanceof Error ? error.message : String(error), {
    ...text,
    backticks: !own && toldSafe !== true,
  });
  return { code: own ? error.code : null, message };
}

/**
 * An error's message as the CLI prints it (cli/errors.ts) and a config problem quotes it
 * (`config check --connect`): made safe by failureMessage, whole; a licbridge error's own words
 * name license ids, catalog codes and option values, so its numbers are masked by shape only, a
 * driver's or a platform's all of them.
 */
export function printedMessage(error: unknown): string {
  const numbers = isLicbridgeError(error) ? 'shapes' : 'all';
  return failureMessage(error, { bounded: false, numbers }).message;
}

/**
 * An error as one line for a run's record and its summary and for log lines: the message made safe
 * as failureMessage makes a stored error (safeErrorText, ./error-text.ts), and the stable code a
 * person looks up in docs/troubleshooting.md (`… [LB_SOURCE_SCHEMA]`). A licbridge error wraps a
 * driver's or a gateway's words (`source legacy: query failed: …`), and those may quote a row's
 * value, a holder's name that no shape masks (`Duplicate entry '张三' …`), a URL with its password
 * or an ID number. Not bounded: a log line keeps a driver's dump whole. A line stored (a run given
 * up) is made safe again, told safe, and comes out the same: masking what was masked changes nothing.
 */
export function errorLine(e: unknown): string {
  const { code, message } = failureMessage(e, { bounded: false });
  return code === null ? message : `${message} [${code}]`;
}

/** Describe a value for an "expected X, got Y" message without echoing long or personal content. */
export function describeValue(value: unknown): string {
  if (value === null) return '`null`';
  if (value === undefined) return 'nothing';
  if (typeof value === 'string') {
    const safe = value.split(/(\s+)/).map(maskUserInfo).join('');
    const shown = safe.length > 40 ? `${safe.slice(0, 37)}...` : safe;
    return `\`${shown}\` (string)`;
  }
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') {
    return `\`${String(value)}\` (${typeof value})`;
  }
  if (Array.isArray(value)) return `an array of ${value.length}`;
  return 'an object';
}
