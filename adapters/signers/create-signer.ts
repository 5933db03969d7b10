import type { SignerConfig } from '../../config/types.js';
import { signerKinds } from './kinds.js';
import type { Signer } from './signer.js';

/** Builds the configured signer through its kind's spec; the implementation loads only when used. */
export async function createSigner(name: string, config: SignerConfig): Promise<Signer> {
  return signerKinds.require(config.kind, `signer ${name}`, { signer: name }).open(name, config);
}
