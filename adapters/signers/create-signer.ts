import type { SignerConfig } from '../../config/types.js';
import { ErrorCodes, LicbridgeError } from '../../core/errors.js';
import { SIGNER_KINDS, signerKind } from './kinds.js';
import type { Signer } from './signer.js';

/** Builds the configured signer through its kind's spec; the implementation loads only when used. */
export async function createSigner(name: string, config: SignerConfig): Promise<Signer> {
  const spec = signerKind(config.kind);
  if (!spec) {
    throw new LicbridgeError(
      ErrorCodes.USAGE,
      `signer ${name}: kind \`${String(config.kind)}\` is not supported (supported: ${SIGNER_KINDS.map((k) => k.kind).join(', ')})`,
      { context: { signer: name } },
    );
  }
  return spec.open(name, config);
}
