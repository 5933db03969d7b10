import type { TargetConfig } from '../../config/types.js';
import { ErrorCodes, LicbridgeError } from '../../core/errors.js';
import type { OpenTargetOptions } from './kind-spec.js';
import { TARGET_KINDS, targetKind } from './kinds.js';
import type { TargetAdapter } from './target.js';

export type CreateTargetOptions = OpenTargetOptions;

/** Builds the configured target adapter through its kind's spec; the implementation loads only when used. */
export async function createTarget(
  name: string,
  config: TargetConfig,
  options: CreateTargetOptions = {},
): Promise<TargetAdapter> {
  const spec = targetKind(config.kind);
  if (!spec) {
    throw new LicbridgeError(
      ErrorCodes.USAGE,
      `target ${name}: kind \`${String(config.kind)}\` is not supported (supported: ${TARGET_KINDS.map((k) => k.kind).join(', ')})`,
      { context: { target: name } },
    );
  }
  return spec.open(name, config, options);
}
