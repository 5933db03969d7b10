// biome-ignore-all lint/suspicious/noTemplateCurlyInString: `${env:…}` and `${file:…}` are config reference syntax, not template slips.
import { closed, HTTP_URL_PATTERN, int, kindConst, namedMap, type Schema, str } from './builders.js';
import { tls } from './tls.js';

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

/** Signers: electronic seals. One variant per `kind`. */
const localSm2Signer = closed(
  'Signs with an SM2 private key held by licbridge (SM3 digest).',
  {
    kind: kindConst('local-sm2', 'Signer kind.'),
    key: str(
      'PEM text of the PKCS#8 private key, usually `${file:…}`. Set this or `keyFile`. Default: none.',
    ),
    keyFile: str(
      'Absolute path of the PKCS#8 PEM private key file (plain or encrypted). Set this or `key`; licbridge refuses a file readable by group or others. Default: none.',
      { pattern: '^/' },
    ),
    passphrase: {
      type: 'string',
      description: 'Passphrase of an encrypted key, usually `${env:…}`. Default: none (unencrypted key).',
    },
    certificate: str(
      "Path of the seal's X.509 certificate (PEM), relative to this file. When set, licbridge checks before the first signature that it certifies the key and is valid, and records its serial and issuer with every signature. Default: none.",
    ),
    sealId: str('Seal id recorded with every signature.'),
    distId: str('SM2 distinguishing id (GM/T 0009 default).', { default: '1234567812345678' }),
    workers,
  },
  ['kind', 'sealId'],
);

const remoteNoAuth = closed(
  'No authentication (simulators, closed networks).',
  {
    scheme: kindConst('none', 'Authentication scheme.'),
  },
  ['scheme'],
);

const remoteBearerAuth = closed(
  'A static bearer token in `Authorization: Bearer …`.',
  {
    scheme: kindConst('bearer', 'Authentication scheme.'),
    token: str('The token, usually `${env:…}`.'),
  },
  ['scheme', 'token'],
);

const remoteHmacAuth = closed(
  'HMAC-SM3 request signatures: headers `x-lb-app-key`, `x-lb-timestamp` (ms), `x-lb-nonce`, `x-lb-signature` = hex HMAC-SM3(secret, the method, path, timestamp, nonce and hex SM3 of the body joined by newlines).',
  {
    scheme: kindConst('hmac', 'Authentication scheme.'),
    appKey: str('App key the signing server issued.'),
    secret: str('App secret, usually `${env:…}`.'),
  },
  ['scheme', 'appKey', 'secret'],
);

const remoteSigner = closed(
  'Signs on a signing server (签名验签服务器) over HTTP: licbridge computes e = SM3(Z ‖ M) and sends digests in batches.',
  {
    kind: kindConst('remote', 'Signer kind.'),
    url: str('Base URL of the signing server API.', { pattern: HTTP_URL_PATTERN }),
    tls,
    keyLabel: str("The seal key's name on the server. Default: the `sealId`."),
    auth: {
      type: 'object',
      description: 'How licbridge authenticates to the signing server.',
      default: { scheme: 'none' },
      discriminator: { propertyName: 'scheme' },
      oneOf: [remoteNoAuth, remoteBearerAuth, remoteHmacAuth],
    },
    certificate: str(
      "Path of the seal's X.509 certificate (PEM), relative to this file. Default: the certificate the server serves for the key; either way it must certify the server's key and be valid.",
    ),
    sealId: str('Seal id recorded with every signature.'),
    distId: str('SM2 distinguishing id (GM/T 0009 default).', { default: '1234567812345678' }),
    batchSize: int('Digests per request.', 1, 10000, { default: 50 }),
    concurrency: int('Requests in flight at once.', 1, 256, { default: 16 }),
    timeoutMs: int('Per-request timeout, ms.', 100, 600000, { default: 10000 }),
    attempts: int('Attempts per request on HTTP 5xx, 429, connection errors and timeouts.', 1, 20, {
      default: 5,
    }),
    backoffMs: int('First retry delay, ms; doubles per attempt with full jitter, capped at 30 s.', 1, 60000, {
      default: 100,
    }),
  },
  ['kind', 'url', 'sealId'],
);

export const signer: Schema = {
  type: 'object',
  description: 'An electronic seal that signs licenses.',
  discriminator: { propertyName: 'kind' },
  oneOf: [localSm2Signer, remoteSigner],
};

/**
 * The trust list: keys verification accepts besides the configured signers' own. Verification
 * never trusts a key only because the ledger holds it (whoever can write the ledger could add one).
 */
const trustedKey = closed(
  'A retired seal key whose signatures `licbridge verify` still accepts (a key rotated out, or a seal no longer configured).',
  {
    sealId: str('Seal id the key signed as; it verifies only signatures recorded under this seal.'),
    file: str(
      "Path of a PEM file with the key's X.509 certificate or its public key (`openssl pkey -pubout`), relative to this file. Several PEM blocks may share one file. With a certificate, the signature's recorded serial must be its serial and the certificate must have been valid at signing time.",
    ),
  },
  ['sealId', 'file'],
);

export const trust: Schema = namedMap(
  "Keys `licbridge verify` trusts besides the configured signers' current keys and certificates, by a name you choose. Keys registered only in the ledger are never trusted.",
  trustedKey,
);
