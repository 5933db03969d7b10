import type { Command } from 'commander';
import { loadConfig } from '../config/loader.js';
import type { Config } from '../config/types.js';
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
export function commandLogger(config: Readonly<Config>): Logger {
  const logger = createLogger({
    level: process.env.LICBRIDGE_LOG_LEVEL ?? config.log.level,
    format: logFormat(config.log.format),
  });
  setRootLogger(logger);
  return logger;
}
