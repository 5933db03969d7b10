import type { TargetConfig } from '../../config/target-types.js';
import { namedTlsSettingError } from '../../core/tls.js';
import type { OpenTargetOptions } from './kind-spec.js';
import { targetKinds } from './kinds.js';
import type { TargetAdapter } from './target.js';

export type CreateTargetOptions = OpenTargetOptions;

/** Builds the configured target adapter through its kind's spec; the implementation loads only when used. */
export async function createTarget(
  name: string,
  config: TargetConfig,
  options: CreateTargetOptions = {},
): Promise<TargetAdapter> {
  const spec = targetKinds.require(config.kind, `target ${name}`, { target: name });
  try {
    return await spec.open(name, config, options);
  } catch (e) {
    // The TLS options refuse a `tls:` setting (an empty `tls.ca`) without knowing whose it is.
    throw namedTlsSettingError(e, `target ${name} (${config.kind})`);
  }
}
