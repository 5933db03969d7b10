/**
 * Where license files are issued and read: the `licenseFiles` section with its schema defaults
 * (also for a config built in code), and the store root a command uses — its `--store` flag, else
 * the config's `licenseFiles.store`.
 */
import { resolve } from 'node:path';
import { licenseFiles as licenseFilesSchema } from '../config/schema/license-files.js';
import { withSchemaDefaults } from '../config/schema-defaults.js';
import type { Config, LicenseFilesConfig } from '../config/types.js';
import { ErrorCodes, LicbridgeError } from '../core/errors.js';
import { configuredFileStore } from './stages/deliver-files.js';

/** The `licenseFiles` section with its schema defaults, also for a config built in code. */
export function licenseFilesSettings(config: Readonly<Config>): LicenseFilesConfig {
  return withSchemaDefaults(licenseFilesSchema, config.licenseFiles ?? {}) as LicenseFilesConfig;
}

/**
 * The store root: `flag` (relative to the working directory, as any path flag), else
 * `licenseFiles.store` (relative to the config file's folder, as every path in the config); with
 * neither, a usage error naming both, from `command`.
 */
export function storeRoot(config: Readonly<Config>, flag: string | undefined, command: string): string {
  if (flag !== undefined) return resolve(flag);
  const configured = configuredFileStore(config);
  if (configured === undefined) {
    throw new LicbridgeError(
      ErrorCodes.USAGE,
      `${command}: no file store: give \`--store <dir>\` or set \`licenseFiles.store\` in ${config.file}`,
    );
  }
  return configured;
}
