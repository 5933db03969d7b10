import type { Command } from 'commander';
import { loadConfig } from '../config/loader.js';
import type { Config } from '../config/types.js';
import { ErrorCodes, LicbridgeError } from '../core/errors.js';
import { logFormat } from '../core/log-text.js';
import { createLogger, type Logger, setRootLogger } from '../core/logger.js';

/** The `--config` given at the top level or on the subcommand. */
export function configPath(cmd: Command): string | undefined {
  const own = cmd.opts<{ config?: string }>().config;
  return own ?? cmd.optsWithGlobals<{ config?: string }>().config;
}

export async function loadCommandConfig(cmd: Command, file?: string): Promise<Readonly<Config>> {
  const chosen = file ?? configPath(cmd);
  return loadConfig(chosen === undefined ? {} : { file: chosen });
}

/** The root logger writes to stderr: stdout is kept for results (`--json`). */
/** The levels `log.level` allows (config/schema/top.ts); LICBRIDGE_LOG_LEVEL is held to them too. */
const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

export function commandLogger(config: Readonly<Config>): Logger {
  // Set but empty reads as unset, as LICBRIDGE_CONFIG does.
  const fromEnv = process.env.LICBRIDGE_LOG_LEVEL || undefined;
  if (fromEnv !== undefined && !LOG_LEVELS.includes(fromEnv)) {
    throw new LicbridgeError(
      ErrorCodes.USAGE,
      `log: expected LICBRIDGE_LOG_LEVEL to be one of ${LOG_LEVELS.join(', ')}, got \`${fromEnv}\``,
    );
  }
  // Overrides `log.format` (core/log-text.ts); a mistyped value was ignored without a word.
  const format = process.env.LICBRIDGE_LOG_FORMAT || undefined;
  if (format !== undefined && !['auto', 'json', 'text'].includes(format)) {
    throw new LicbridgeError(
      ErrorCodes.USAGE,
      `log: expected LICBRIDGE_LOG_FORMAT to be json, text or auto, got \`${format}\``,
    );
  }
  const logger = createLogger({
    level: fromEnv ?? config.log.level,
    format: logFormat(config.log.format),
  });
  setRootLogger(logger);
  return logger;
}
