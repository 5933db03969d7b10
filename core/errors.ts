/**
 * licbridge's error classes. Every error carries a stable `code`, a `retryable` flag, a `context`
 * (pipeline, source, record key, job id — never personal data) and the original `cause`.
 * Messages read `component: what failed: detail`.
 */
import { maskPassportShapes } from './mask.js';
import { hideQuoted } from './quoted-values.js';
import { scrubPersonal, scrubSecrets } from './scrub.js';

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

/** A password given in a connection string (`Server=db;User Id=sa;Password=…;`, ODBC's `PWD=…`). */
const PASSWORD_SETTING = /\b(password|pwd)(\s*=\s*)[^;\s]+/gi;

/**
 * An error as one line for a run's record and its summary and for log lines: the message, and the
 * stable code a person looks up in docs/troubleshooting.md (`… [LB_SOURCE_SCHEMA]`). A licbridge
 * error wraps a driver's or a gateway's words (`source legacy: query failed: …`), and those may
 * quote a row's value, a holder's name that no shape masks (`Duplicate entry '张三' …`), a URL with
 * its password or an ID number, so the line is made safe as failureMessage makes a stored error
 * (pipelines/reconcile/failed-check.ts), with what core holds (core may import nothing outside):
 * white space made single spaces first (a quoted value holding a line break is seen as quoted),
 * a quoted value hidden as the CLI hides it (core/quoted-values.ts; a licbridge error's backticks
 * name config values and stay), a URL's user and password and a connection string's password, a
 * passport number, and a credit code, an ID number or a run of seven or more digits cut to its
 * last four. Digits written in groups, as an ID or a mobile number may be, stay (their shapes are
 * catalog/personal.ts's, which core cannot import): what is stored of the line is masked again.
 * Not bounded: a log line keeps a driver's dump whole.
 */
export function errorLine(e: unknown): string {
  const own = isLicbridgeError(e);
  const text = scrubSecrets(e instanceof Error ? e.message : String(e))
    .replace(/\s+/g, ' ')
    .trim();
  const hidden = hideQuoted(text, { backticks: !own, keepIdentifiers: true })
    .split(' ')
    .map(maskUserInfo)
    .join(' ')
    .replace(PASSWORD_SETTING, '$1$2***');
  const line = cutRuns(maskPassportShapes(hidden)) || 'no message';
  return own ? `${line} [${e.code}]` : line;
}

/** Digits in groups (`110105 19491231 002X`, `138 0013 8000`): the shape of an ID or mobile number. */
const GROUPED_DIGITS = /(?<![0-9A-Za-z])[0-9]+(?:[ -][0-9]+[Xx]?)+(?![0-9A-Za-z])/g;

/**
 * `text` with its credit codes, ID numbers and runs of seven or more digits cut to their last four
 * (scrubPersonal), and a `+` before one (`+8613800138000`) hidden with it. Digits in groups are left
 * as they are: cut, a group of eight (`****1231`) would leave the rest of the number no shape that
 * failureMessage masks, where a line stored (a run given up) is masked again; passports were
 * masked before, as cut to their last four digits `E12345678` is no passport's shape any more.
 */
function cutRuns(text: string): string {
  const cut = (t: string) => scrubPersonal(t, [], () => '***').replace(/\+(?=\*)/g, '*');
  let out = '';
  let from = 0;
  for (const m of text.matchAll(GROUPED_DIGITS)) {
    out += cut(text.slice(from, m.index)) + m[0];
    from = m.index + m[0].length;
  }
  return out + cut(text.slice(from));
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

const SCHEME_CHAR = /[A-Za-z0-9+.-]/;
const LETTER = /[A-Za-z]/;

/**
 * `word` (no white space) with a URL's user and password (`postgres://lb:pw@host`) replaced by
 * `***`, even when it is malformed: everything from the first scheme (`letters:` and up to three
 * `/`) up to the last `@`, as a password holding `/`, `?` or `#` (what makes such a URL not parse)
 * would otherwise end the masked part early and show the rest. One pass: a pattern doing this
 * (`[A-Za-z][A-Za-z0-9+.-]*:\/{0,3}\S*@`) took seconds on a value of 20,000 letters and a colon.
 */
export function maskUserInfo(word: string): string {
  const lastAt = word.lastIndexOf('@');
  if (lastAt < 0) return word;
  let i = 0;
  while (i < lastAt) {
    if (!SCHEME_CHAR.test(word[i] as string)) {
      i += 1;
      continue;
    }
    // A run of scheme characters: a scheme when it holds a letter and a `:` follows it.
    const start = i;
    while (i < word.length && SCHEME_CHAR.test(word[i] as string)) i += 1;
    if (i >= lastAt || word[i] !== ':') continue;
    let first = start;
    while (first < i && !LETTER.test(word[first] as string)) first += 1;
    if (first === i) continue;
    let end = i + 1;
    while (end < lastAt && end < i + 4 && word[end] === '/') end += 1;
    return `${word.slice(0, end)}***${word.slice(lastAt)}`;
  }
  return word;
}
