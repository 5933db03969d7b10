import type { SignerConfig } from '../../config/types.js';
import type { Signer } from './signer.js';

/** Builds the configured signer; the implementation module loads only when that kind is used. */
export async function createSigner(name: string, config: SignerConfig): Promise<Signer> {
  switch (config.kind) {
    case 'local-sm2': {
      const { LocalSm2Signer } = await import('./local-sm2/local-sm2-signer.js');
      return new LocalSm2Signer(name, config);
    }
    case 'remote': {
      const { RemoteSigner } = await import('./remote/remote-signer.js');
      return new RemoteSigner(name, config);
    }
  }
}
