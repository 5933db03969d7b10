import type { SignerConfig } from '../../config/types.js';
import { namedTlsSettingError } from '../../core/tls.js';
import { signerKinds } from './kinds.js';
import type { Signer } from './signer.js';

/** Builds the configured signer through its kind's spec; the implementation loads only when used. */
export async function createSigner(name: string, config: SignerConfig): Promise<Signer> {
  const spec = signerKinds.require(config.kind, `signer ${name}`, { signer: name });
  try {
    return await spec.open(name, config);
  } catch (e) {
    // The TLS options refuse a `tls:` setting (an empty `tls.ca`) without knowing whose it is.
    throw namedTlsSettingError(e, `signer ${name} (${config.kind})`);
  }
}
