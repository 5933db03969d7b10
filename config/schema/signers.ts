// biome-ignore-all lint/suspicious/noTemplateCurlyInString: `${env:…}` and `${file:…}` are config reference syntax, not template slips.
import { closed, kindConst, type Schema, str } from './builders.js';

/** Signers: electronic seals. One variant per `kind`. */
const localSm2Signer = closed(
  'Signs with an SM2 private key held by licbridge (SM3 digest).',
  {
    kind: kindConst('local-sm2', 'Signer kind.'),
    key: str('PEM text of the PKCS#8 private key, usually `${file:…}`.'),
    passphrase: { type: 'string', description: 'Passphrase of an encrypted key, usually `${env:…}`.' },
    certificate: str("Path of the seal's X.509 certificate (PEM), relative to this file."),
    sealId: str('Seal id recorded with every signature.'),
    distId: str('SM2 distinguishing id (GM/T 0009 default).', { default: '1234567812345678' }),
  },
  ['kind', 'key', 'sealId'],
);

export const signer: Schema = {
  type: 'object',
  description: 'An electronic seal that signs licenses.',
  discriminator: { propertyName: 'kind' },
  oneOf: [localSm2Signer],
};
