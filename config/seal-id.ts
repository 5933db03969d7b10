/**
 * The seal a pipeline's signatures are recorded under: its signer's `sealId`, else the signer's
 * own name. Every count of what is signed, owed or delivered asks for it, so it is decided here.
 */
import type { Config } from './types.js';

export function sealIdOf(
  config: Readonly<Pick<Config, 'signers'>>,
  pipeline: Readonly<{ signer: string }>,
): string {
  return config.signers[pipeline.signer]?.sealId ?? pipeline.signer;
}
