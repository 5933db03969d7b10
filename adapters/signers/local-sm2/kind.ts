// biome-ignore-all lint/suspicious/noTemplateCurlyInString: `${env:…}` and `${file:…}` are config reference syntax, not template slips.
/** A seal key held by licbridge as a signer kind (see adapters/signers/kind-spec.ts). */
import { closed, kindConst, type Schema, secret, str } from '../../../config/schema/builders.js';
import type { SignerKindSpec } from '../kind-spec.js';
import { DEFAULT_DIST_ID } from '../signer.js';
import type { LocalSm2SignerConfig } from './config.js';

// `auto`, or a thread count; 0 signs on the calling thread (no pool).
const workers: Schema = {
  description:
    'Signing threads: `auto` starts one worker thread per CPU core; a number starts that many; 0 signs on the calling thread.',
  default: 'auto',
  oneOf: [
    { type: 'string', const: 'auto' },
    { type: 'integer', minimum: 0, maximum: 256 },
  ],
};

/** The config variant of a `local-sm2` signer. */
const schema = closed(
  'Signs with an SM2 private key held by licbridge (SM3 digest).',
  {
    kind: kindConst('local-sm2', 'Signer kind.'),
    key: secret(
      str('PEM text of the PKCS#8 private key, usually `${file:…}`. Set this or `keyFile`. Default: none.'),
    ),
    keyFile: str(
      'Absolute path of the PKCS#8 PEM private key file (plain or encrypted). Set this or `key`; licbridge refuses a file readable by group or others. Default: none.',
      { pattern: '^/' },
    ),
    passphrase: secret({
      type: 'string',
      description: 'Passphrase of an encrypted key, usually `${env:…}`. Default: none (unencrypted key).',
    }),
    certificate: str(
      "Path of the seal's X.509 certificate (PEM), relative to this file. When set, licbridge checks before the first signature that it certifies the key and is valid, and records its serial and issuer with every signature. Default: none.",
    ),
    sealId: str('Seal id recorded with every signature.'),
    distId: str('SM2 distinguishing id (GM/T 0009 default).', { default: DEFAULT_DIST_ID }),
    workers,
  },
  ['kind', 'sealId'],
);

export const localSm2Kind = {
  kind: 'local-sm2',
  title: 'SM2 key held by licbridge',
  schema,
  async open(name, config) {
    const { LocalSm2Signer } = await import('./local-sm2-signer.js');
    return new LocalSm2Signer(name, config);
  },
} as const satisfies SignerKindSpec<LocalSm2SignerConfig>;
