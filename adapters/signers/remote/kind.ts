// biome-ignore-all lint/suspicious/noTemplateCurlyInString: `${env:…}` and `${file:…}` are config reference syntax, not template slips.
/** A signing server (签名验签服务器) as a signer kind (see adapters/signers/kind-spec.ts). */
import { closed, HTTP_URL_PATTERN, int, kindConst, secret, str } from '../../../config/schema/builders.js';
import { tls } from '../../../config/schema/tls.js';
import { plainHttpTlsProblems } from '../../plain-http-tls.js';
import type { SignerKindSpec } from '../kind-spec.js';
import { DEFAULT_DIST_ID } from '../signer.js';
import { authHeaderProblems } from './auth-problems.js';
import type { RemoteSignerConfig } from './config.js';

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
    token: secret(str('The token, usually `${env:…}`.')),
  },
  ['scheme', 'token'],
);

const remoteHmacAuth = closed(
  'HMAC-SM3 request signatures: headers `x-lb-app-key`, `x-lb-timestamp` (ms), `x-lb-nonce`, `x-lb-signature` = hex HMAC-SM3(secret, the method, path, timestamp, nonce and hex SM3 of the body joined by newlines).',
  {
    scheme: kindConst('hmac', 'Authentication scheme.'),
    appKey: str('App key the signing server issued.'),
    secret: secret(str('App secret, usually `${env:…}`.')),
  },
  ['scheme', 'appKey', 'secret'],
);

/** The config variant of a `remote` signer. */
const schema = closed(
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
    distId: str('SM2 distinguishing id (GM/T 0009 default).', { default: DEFAULT_DIST_ID }),
    batchSize: int('Digests per request.', 1, 10000, { default: 50 }),
    concurrency: int('Requests in flight at once.', 1, 256, { default: 16 }),
    timeoutMs: int('Per-request timeout, ms.', 100, 600000, { default: 10000 }),
    attempts: int(
      'Attempts per request on HTTP 5xx (not 501 or 505, which are final), 429 and 408, connection errors and timeouts; a 429 or 503 stating `Retry-After` waits that long (up to `maxBackoffMs`; a longer wait ends the request at once, retryable, and the sign job waits it without spending an attempt).',
      1,
      20,
      {
        default: 5,
      },
    ),
    backoffMs: int(
      'First retry delay, ms; doubles per attempt with full jitter, capped at `maxBackoffMs`.',
      1,
      60000,
      {
        default: 100,
      },
    ),
    maxBackoffMs: int(
      "Longest wait between two attempts of one request, ms, a server's `Retry-After` included: a longer `Retry-After` ends the request at once (retryable) and the sign job waits it out without spending an attempt.",
      100,
      300_000,
      { default: 30_000 },
    ),
    verify: {
      type: 'string',
      enum: ['all', 'sample'],
      default: 'all',
      description:
        "Which signatures the server answers are verified over the digest sent, with the server's key, before the ledger records any: `all`, or `sample`, the first, the last and one between of each batch (a wrong signature elsewhere is recorded and delivered, and found only by `licbridge verify`). A check costs about 3 ms of CPU of the signing process's main thread.",
    },
  },
  ['kind', 'url', 'sealId'],
);

export const remoteKind = {
  kind: 'remote',
  title: 'signing server',
  schema,
  // `tls` next to an `http://` url would verify nothing and encrypt nothing: digests, signatures and
  // the bearer token or HMAC headers would travel in the clear (adapters/plain-http-tls.ts). A
  // credential no header can carry fails every request before it is sent (./auth-problems.ts).
  problems: (name, config) => [
    ...plainHttpTlsProblems(name, config, 'signer'),
    ...authHeaderProblems(name, config.auth),
  ],
  async open(name, config) {
    const { RemoteSigner } = await import('./remote-signer.js');
    return new RemoteSigner(name, config);
  },
} as const satisfies SignerKindSpec<RemoteSignerConfig>;
