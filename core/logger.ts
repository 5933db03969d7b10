import { type Logger, type LoggerOptions, pino } from 'pino';
import { safeErrorText, stackFrames } from './error-text.js';
import { failureMessage } from './errors.js';
import { hideLabelledNames } from './labelled-names.js';
import { textLogStream } from './log-text.js';
import { PINYIN_KEYS } from './name-labels.js';
import { maskLogShapes } from './personal-shapes.js';
import { scrubLogLine } from './scrub-log-line.js';

export type { Logger } from 'pino';

/**
 * Paths pino removes besides what `loggable` redacts by key name at any depth (secrets and
 * personal data, below): a database connection's login, whose key (`user`) is too common a name
 * to redact everywhere.
 */
const REDACT_PATHS: readonly string[] = ['connection.user'];

/**
 * Key names whose values never reach a log line, at any depth and inside arrays, whatever their
 * case or `-`/`_` spelling (`Authorization` in a header object, `client_secret`, `x-api-key`): an
 * HTTP client's config, an auth block or a driver's options nest deep and spell keys their own
 * way. A key names a secret when it ends in the secret's word (`accessToken`, `appSecret`,
 * `sentinelPassword`, ODBC's `PWD`): a key that only starts with one names something about it — `tokenUrl`, the endpoint an operator must check
 * when fetching a token fails, or `passphraseEnv`, a variable's name — and stays.
 */
const SECRET_KEY =
  /(pass(word|wd|phrase)?|pwd|secret|token|authori[sz]ation|apikey|cookie|credential)s?$|^auth$|^key$|privatekey/;
/**
 * Personal data by key name, at any depth: holders, their documents' numbers (a passport's too:
 * `K19850312` under `passportNo` reads as a serial by its shape), their contacts, source rows and
 * payloads. Not `permitNo`: a license is a permit too. A legacy table's pinyin columns too, as a
 * source row's fields are logged: the names' labels' keys (`XM`, `CZRXM`, `lxrXm`), and the ID
 * number's (身份证号 `SFZH`, `SFZHM`), whose value went out whole under them.
 */
const PERSONAL_KEYS = new Set([
  'holder',
  'holdername',
  'holderid',
  'idnumber',
  'passport',
  'passportno',
  'passportnumber',
  'zjhm',
  'hzhm',
  'sfzh',
  'sfzhm',
  'contact',
  'phone',
  'appuserid',
  'recipient',
  'row',
  'values',
  'payload',
  ...PINYIN_KEYS,
]);
const CENSOR = '[redacted]';
/** Deeper values are left out: a log line describes, it does not dump object graphs. */
const MAX_DEPTH = 10;
/**
 * What a log line keeps of an error besides its type, message, stack, context and cause: codes
 * that say what failed. Never the rest: an HTTP client's error holds the request's config
 * (headers with the Authorization, the body with a holder's data) and its socket (`_header`, the
 * raw header text), and Node's ERR_INVALID_URL holds the whole URL, password included, as `input`.
 */
const ERROR_FIELDS = [
  'code',
  'errno',
  'syscall',
  'address',
  'port',
  'status',
  'statusCode',
  'retryable',
  // A database driver's own code of the failure: MySQL's SQLSTATE (its `code` is a name such as
  // ER_DUP_ENTRY), SQL Server's error number (tedious' `code` is only EREQUEST), Oracle's ORA number.
  'sqlState',
  'number',
  'errorNum',
] as const;

/**
 * Whether each key name seen is redacted: a log line repeats the same few keys (every element of
 * a list has the same ones), so each name is judged once, not once per value.
 */
const keyVerdicts = new Map<string, boolean>();
const MAX_KEY_VERDICTS = 10_000;

function redactedKey(key: string): boolean {
  const known = keyVerdicts.get(key);
  if (known !== undefined) return known;
  const k = key.toLowerCase().replace(/[-_]/g, '');
  const verdict = SECRET_KEY.test(k) || PERSONAL_KEYS.has(k);
  // Keys of a caller's data (a map keyed by ids) must not grow it without bound.
  if (keyVerdicts.size < MAX_KEY_VERDICTS) keyVerdicts.set(key, verdict);
  return verdict;
}

/**
 * Keys whose string values pino writes itself (its level, time and host) and that hold no free
 * text: their values skip the shape masking below. Not the names of config parts or an event's
 * (`source`, `target`, `type`, `event`, `stack`…): a caller's own object may put text from outside
 * under the same names (`{ source: 'holder 1101…' }`). A value without a digit, as the names
 * licbridge writes there are, costs the masking one test (shapesOnly), one without seven digits two.
 */
const NO_FREE_TEXT = new Set(['level', 'time', 'pid', 'hostname']);
/** Any digit, half- or full-width: every number a person is known by holds several. */
const ANY_DIGIT = /[0-9\uFF10-\uFF19]/;

/**
 * A free text as a log line holds it: the numbers a person is known by masked by their shape, and
 * a name after a label saying it is one (`持证人：张三`, `holder: Zhang San`) hidden. Quoted values
 * stay: the words of licbridge's own lines and of a caller quote names of config parts, files and
 * tables (an error's own words, which quote a row, are masked as an error's text: asErrorText).
 * Inside a run of letters and digits only what is positively a person's number is cut (an ID
 * number by its check char, a card's digits by theirs): a run that may be a unit's credit code is
 * shown whole, as operators read which unit and license a line is about (maskLogShapes), where an
 * error's text cuts every run a person's number may be in.
 */
function shapesOnly(text: string): string {
  const named = hideLabelledNames(text);
  return ANY_DIGIT.test(named) ? maskLogShapes(named) : named;
}

/**
 * The last word of a key that names a measure (`bytes`, `sizeBytes`, `rowCount`, `durationMs`,
 * `elapsed_ms`): a number under it is a size, a count or a duration, never a number a person is
 * known by. By word, so `items` or `terms` (no `ms` word) name none.
 */
const MEASURE_WORDS = new Set(['bytes', 'size', 'count', 'total', 'length', 'rows', 'ms', 'seconds']);
const KEY_WORDS = /[A-Z]?[a-z0-9]+|[A-Z]+(?![a-z])/g;

function namesMeasure(key: string): boolean {
  const words = key.match(KEY_WORDS);
  return words !== null && MEASURE_WORDS.has((words.at(-1) ?? '').toLowerCase());
}

/**
 * A number as a log line holds it: one whose digits have the shape of a number a person is known by
 * (an 11-digit mobile number, a 15- or 18-digit ID number), as a source key or an ID column read
 * as a number holds it, masked as its text is; any other (a count, a duration, a size) as it is.
 * Only one of ten or more digits can have such a shape: the rest cost a comparison. A size of
 * 13.8 GB in bytes has a mobile number's shape (1[3-9] and nine digits) and went out as
 * `*******0000`: under a key naming a measure (namesMeasure) a number stays as it is.
 */
function loggableNumber(n: number | bigint, key?: string): number | bigint | string {
  if (!(n >= 1e10 || n <= -1e10)) return n;
  if (key !== undefined && namesMeasure(key)) return n;
  const text = String(n);
  const masked = maskLogShapes(text);
  return masked === text ? n : masked;
}

/**
 * A driver's or a client's own words (an error's `cause` that is no Error, the strings among an
 * AggregateError's `errors`), masked as an error's message is: they quote the row they refused
 * (`Duplicate entry '张三-…'`), and a name has no shape to mask.
 */
function asErrorText(text: string): string {
  return failureMessage(text, { bounded: false }).message;
}

/**
 * Keys under which a caller logs an error as a plain object or a string (`{ err: { message:
 * e.message } }`, `{ error: message }`): the driver's words it holds may quote a row's value, a
 * name no shape masks, and went out whole where an Error's were hidden.
 */
const ERROR_KEYS = new Set(['err', 'error']);

/**
 * An error's words logged as a plain string: masked as an error's text is, its backticks kept as
 * in a line told safe (errorLine's own, which name config values, are logged so).
 */
function asToldErrorText(text: string): string {
  return safeErrorText(text, { bounded: false, backticks: false });
}

/**
 * `value` as a log line may hold it: errors reduced to what says what failed, secret and personal
 * keys redacted, and every string masked by `text` (by default the numbers a person is known by,
 * masked by shape: `log.info({ reason })` and a knex warning's `detail` quote what came from outside),
 * except under the keys that hold no free text (an error's own words are masked under any key, and
 * so are the strings under `err` and `error`).
 */
export function loggable(
  value: unknown,
  depth = 0,
  path: object[] = [],
  text: (s: string) => string = shapesOnly,
): unknown {
  if (typeof value === 'string') return text(value);
  if (typeof value === 'number' || typeof value === 'bigint') return loggableNumber(value);
  if (value === null || typeof value !== 'object') return value;
  if (path.includes(value)) return '[circular]';
  if (depth > MAX_DEPTH) return '[too deep]';
  const inner = [...path, value];
  if (value instanceof Error) return loggableError(value, depth, inner);
  if (Array.isArray(value)) return value.map((v) => loggable(v, depth + 1, inner, text));
  const toJSON = (value as { toJSON?: unknown }).toJSON;
  if (typeof toJSON === 'function') {
    const json: unknown = toJSON.call(value);
    return json === value ? json : loggable(json, depth, path, text);
  }
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    if (redactedKey(k)) out[k] = CENSOR;
    else if (text === shapesOnly && ERROR_KEYS.has(k))
      out[k] = loggable(v, depth + 1, inner, asToldErrorText);
    else if (typeof v === 'string') out[k] = text === shapesOnly && NO_FREE_TEXT.has(k) ? v : text(v);
    else if (typeof v === 'number' || typeof v === 'bigint') out[k] = loggableNumber(v, k);
    else out[k] = loggable(v, depth + 1, inner, text);
  }
  return out;
}

/**
 * An error as a log line holds it. Its message is masked as every shown error is (failureMessage, safeErrorText:
 * quoted values, ID and phone numbers, logins), whole, and its stack is that message and the
 * frames: a driver's or an HTTP client's error logged as it came would carry the row or the
 * request body its message quotes.
 */
function loggableError(e: Error, depth: number, path: object[]): Record<string, unknown> {
  const fields = e as unknown as Record<string, unknown>;
  const message = loggedMessage(e);
  const out: Record<string, unknown> = { type: e.name, message };
  if (e.stack !== undefined) out.stack = `${e.name}: ${message}${stackFrames(e)}`;
  for (const k of ERROR_FIELDS) {
    const v = fields[k];
    // A client may put what it was sent in its own `code` or `address`: masked as any text.
    if (typeof v === 'string') out[k] = shapesOnly(v);
    else if (typeof v === 'number' || typeof v === 'bigint') out[k] = loggableNumber(v);
    else if (v !== undefined && (typeof v !== 'object' || v === null)) out[k] = v;
  }
  if (fields.context !== null && typeof fields.context === 'object') {
    out.context = loggable(fields.context, depth + 1, path);
  }
  if (e.cause !== undefined) out.cause = loggable(e.cause, depth + 1, path, asErrorText);
  if (Array.isArray(fields.errors)) out.errors = loggable(fields.errors, depth + 1, path, asErrorText);
  return out;
}

/** As failureMessage shows it, whole: a licbridge error's backticks name config values and stay. */
function loggedMessage(e: Error): string {
  return e.message === '' ? '' : failureMessage(e, { bounded: false }).message;
}

export interface CreateLoggerOptions {
  level?: string;
  /** Where lines go; stderr by default so stdout stays free for `--json` output. */
  destination?: NodeJS.WritableStream | number;
  base?: Record<string, string>;
  /** `text`: one readable line per entry, for a person at a terminal (core/log-text.ts). @defaultValue `json` */
  format?: 'json' | 'text';
}

/**
 * Bindings of every logger made here, kept beside pino instead of inside it. pino writes a
 * child's bindings and the call's object one after the other, so `log.child({ runId }).info({ runId })`
 * (or a child of a child binding a key again) wrote `runId` twice in one JSON line, which many
 * parsers read as an error or silently resolve. Here each line is built from one merged object:
 * the base, then each child's bindings, then the call's object, later keys replacing earlier ones.
 */
const bindingsOf = new WeakMap<object, Readonly<Record<string, unknown>>>();
const NO_BINDINGS: Readonly<Record<string, unknown>> = Object.freeze({});

export function createLogger(options: CreateLoggerOptions = {}): Logger {
  const opts: LoggerOptions = {
    level: options.level ?? process.env.LICBRIDGE_LOG_LEVEL ?? 'info',
    // `app` and the base travel as bindings too, so a call's object cannot repeat them either.
    base: null,
    redact: { paths: [...REDACT_PATHS], censor: CENSOR },
    // Runs on the whole entry (the call's object and the bindings) before pino serializes it.
    formatters: { log: (entry) => loggable(entry) as Record<string, unknown> },
    serializers: {
      // `err` is already reduced by `loggable`; pino's own serializer would copy every field back.
      err: (e: unknown) => e,
      // The message as pino wrote it, interpolated values in (`log.info('holder %s', key)`), or an
      // object's own `msg`: masked by shape as the other fields are (`loggable` leaves `msg`
      // alone). A message without a digit, as most are, costs one test.
      msg: (m: unknown) => (typeof m === 'string' ? shapesOnly(m) : m),
    },
    timestamp: pino.stdTimeFunctions.isoTime,
    mixin: (_obj, _level, logger) => bindingsOf.get(logger) ?? NO_BINDINGS,
    mixinMergeStrategy: (call, bound) => ({ ...bound, ...call }),
    // JSON escapes C0 controls but not C1 or bidi controls; a value from outside (a platform's
    // reason, a driver's message) must not steer the terminal that shows the log.
    // Values from config references never reach a log line, whatever a caller logs (scrub.ts).
    hooks: {
      streamWrite: (line) => escapeTerminalControls(scrubLogLine(line)),
      // `log.warn(err)` takes the error's message for the line's `msg`, as it came: masked here
      // as the error's own fields are (loggableError).
      // `log.error({ err })` without a message takes the error's message for `msg` too.
      logMethod(args, method) {
        const [first] = args as unknown[];
        if (args.length === 1 && first instanceof Error)
          return method.apply(this, [first, loggedMessage(first)] as unknown as Parameters<typeof method>);
        const err = args.length === 1 ? errorLoggedAlone(first) : undefined;
        if (err !== undefined)
          return method.apply(this, [first, loggedMessage(err)] as unknown as Parameters<typeof method>);
        return method.apply(this, args);
      },
    },
  };
  const dest = options.destination ?? 2;
  const json =
    typeof dest === 'number' ? pino.destination({ dest, sync: true }) : (dest as NodeJS.WritableStream);
  const stream = options.format === 'text' ? textLogStream(json) : json;
  const logger = pino(opts, stream);
  bindingsOf.set(logger, { app: 'licbridge', ...(options.base ?? {}) });
  // Children inherit this from the root through their prototype chain.
  const pinoChild = logger.child;
  const child = function (this: Logger, bindings: Record<string, unknown>, childOptions?: object) {
    const made = pinoChild.call(this, {}, childOptions);
    bindingsOf.set(made, { ...(bindingsOf.get(this) ?? NO_BINDINGS), ...bindings });
    return made;
  };
  const readBindings = function (this: Logger) {
    return { ...(bindingsOf.get(this) ?? NO_BINDINGS) };
  };
  const setBindings = function (this: Logger, bindings: Record<string, unknown>) {
    bindingsOf.set(this, { ...(bindingsOf.get(this) ?? NO_BINDINGS), ...bindings });
  };
  Object.assign(logger, { child, bindings: readBindings, setBindings });
  return logger;
}

/** The error of a call's object that pino would take its message from: an `err` and no `msg`. */
function errorLoggedAlone(obj: unknown): Error | undefined {
  if (obj === null || typeof obj !== 'object') return undefined;
  const { err, msg } = obj as { err?: unknown; msg?: unknown };
  return err instanceof Error && msg === undefined ? err : undefined;
}

function escapeTerminalControls(line: string): string {
  return line.replace(
    /[\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g,
    (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

let root: Logger | undefined;

/** The one root logger of the process; components take child loggers from it. */
export function rootLogger(): Logger {
  root ??= createLogger();
  return root;
}

export function setRootLogger(logger: Logger): void {
  root = logger;
}
