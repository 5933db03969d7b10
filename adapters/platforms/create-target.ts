import type { TargetConfig } from '../../config/types.js';
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
  return targetKinds.require(config.kind, `target ${name}`, { target: name }).open(name, config, options);
}
