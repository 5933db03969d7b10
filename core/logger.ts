import { type Logger, type LoggerOptions, pino } from 'pino';
import { textLogStream } from './log-text.js';
import { scrubSecrets } from './scrub.js';

export type { Logger } from 'pino';

/**
 * Paths pino removes from every log line. Secrets (passwords, tokens, keys) and personal data
 * (holder names and ID numbers) never reach a log line, whatever object a caller passes.
 */
export const REDACT_PATHS: readonly string[] = [
  'password',
  '*.password',
  '*.*.password',
  'passphrase',
  '*.passphrase',
  'secret',
  '*.secret',
  '*.*.secret',
  'token',
  '*.token',
  'accessToken',
  '*.accessToken',
  'authorization',
  '*.authorization',
  '*.headers.authorization',
  'privateKey',
  '*.privateKey',
  'key',
  '*.key',
  'holder',
  '*.holder',
  'holderName',
  '*.holderName',
  'holderId',
  '*.holderId',
  'idNumber',
  '*.idNumber',
  // Holder contacts (catalog/holder-contact.ts) and a message gateway's recipient.
  'contact',
  '*.contact',
  'phone',
  '*.phone',
  'appUserId',
  '*.appUserId',
  'recipient',
  '*.recipient',
  'row',
  '*.row',
  'values',
  '*.values',
  'payload',
  '*.payload',
  'connection.password',
  'connection.user',
];

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
    redact: { paths: [...REDACT_PATHS], censor: '[redacted]' },
    timestamp: pino.stdTimeFunctions.isoTime,
    mixin: (_obj, _level, logger) => bindingsOf.get(logger) ?? NO_BINDINGS,
    mixinMergeStrategy: (call, bound) => ({ ...bound, ...call }),
    // JSON escapes C0 controls but not C1 or bidi controls; a value from outside (a platform's
    // reason, a driver's message) must not steer the terminal that shows the log.
    // Values from config references never reach a log line, whatever a caller logs (scrub.ts).
    hooks: { streamWrite: (line) => escapeTerminalControls(scrubSecrets(line)) },
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
