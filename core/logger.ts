import { type Logger, type LoggerOptions, pino } from 'pino';

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
}

export function createLogger(options: CreateLoggerOptions = {}): Logger {
  const opts: LoggerOptions = {
    level: options.level ?? process.env.LICBRIDGE_LOG_LEVEL ?? 'info',
    base: { app: 'licbridge', ...(options.base ?? {}) },
    redact: { paths: [...REDACT_PATHS], censor: '[redacted]' },
    timestamp: pino.stdTimeFunctions.isoTime,
  };
  const dest = options.destination ?? 2;
  const stream =
    typeof dest === 'number' ? pino.destination({ dest, sync: true }) : (dest as NodeJS.WritableStream);
  return pino(opts, stream);
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
