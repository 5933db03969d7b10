// biome-ignore-all lint/suspicious/noTemplateCurlyInString: `${env:…}` and `${file:…}` are config reference syntax, not template slips.
/**
 * What the target kinds' config variants share: authentication schemes of the JSON targets,
 * per-platform code lists, and the delivery knobs every target's queue takes. Each kind's variant
 * sits next to its code (adapters/platforms/<kind>/kind.ts) and is built from these.
 */
import { HOLDER_ID_TYPES, LICENSE_OPERATIONS, LICENSE_STATUSES } from '../../core/code-lists.js';
import { closed, HTTP_URL_PATTERN, int, kindConst, type Schema, secret, str } from './builders.js';
import { tls } from './tls.js';

/** `auth.tls` of the schemes that fetch credentials: see adapters/platforms/shared/auth/credential-request.ts. */
const credentialTls = (url: string): Schema => ({
  ...tls,
  description: `TLS for \`${url}\`, when it needs other settings than the target's \`tls\` (an identity service on another host, with its own CA or client certificate); same keys as the target's \`tls\`. Default: the target's \`tls\` when \`${url}\` is on the target's host, else the public roots (and \`NODE_EXTRA_CA_CERTS\`) and no client certificate.`,
});

/** Targets: the platforms licenses are delivered to. One variant per `kind`, auth per `scheme`. */
const hmacAuth = closed(
  'HMAC-signed requests with an app key and secret.',
  {
    scheme: kindConst('hmac', 'Authentication scheme.'),
    appKey: str('App key issued by the platform.'),
    secret: secret(str('App secret issued by the platform, usually `${env:…}`.')),
  },
  ['scheme', 'appKey', 'secret'],
);

const noAuth = closed(
  'No authentication (simulators, closed networks).',
  {
    scheme: kindConst('none', 'Authentication scheme.'),
  },
  ['scheme'],
);

const gatewayAuth = closed(
  'Gateway headers `x-tif-paasid`, `x-tif-timestamp`, `x-tif-nonce`, `x-tif-signature` (SHA-256 of timestamp + token + nonce + timestamp).',
  {
    scheme: kindConst('gateway', 'Authentication scheme.'),
    paasId: str('The caller id the gateway issued (`x-tif-paasid`).'),
    token: secret(str('The gateway token, usually `${env:…}`.')),
  },
  ['scheme', 'paasId', 'token'],
);

const appKeyMd5Auth: Schema = {
  ...closed(
    'App key with `sign = md5(appKey + secret + requestTime)`; the secret can be refreshed from an API.',
    {
      scheme: kindConst('appkey-md5', 'Authentication scheme.'),
      appKey: str('App key issued by the platform.'),
      secret: secret(str('Current secret, usually `${env:…}`.')),
      refreshUrl: str(
        'URL answering `{ "secret": "…" }` (GET with `appKey` and `sign`), tried once when the platform answers 401. Default: no refresh.',
        { pattern: HTTP_URL_PATTERN },
      ),
      tls: credentialTls('refreshUrl'),
    },
    ['scheme', 'appKey', 'secret'],
  ),
  // draft-07 `dependencies`: TLS settings for a refresh that is never made would be dropped silently.
  dependencies: { tls: ['refreshUrl'] },
};

const oauth2Auth = closed(
  'OAuth2 client_credentials: a bearer token fetched from `tokenUrl` and cached until shortly before it expires.',
  {
    scheme: kindConst('oauth2', 'Authentication scheme.'),
    tokenUrl: str('Token endpoint.', { pattern: HTTP_URL_PATTERN }),
    clientId: str('Client id.'),
    clientSecret: secret(str('Client secret, usually `${env:…}`.')),
    scope: str('Scope to ask for. Default: none.'),
    refreshSkewSeconds: int('Renew the token this long before it expires, s.', 0, 3600, { default: 60 }),
    basicEncoding: {
      type: 'string',
      enum: ['raw', 'form-urlencoded'],
      default: 'raw',
      description:
        "How `clientId` and `clientSecret` go into the token request's HTTP Basic header: `raw`, as written; `form-urlencoded`, each form-urlencoded first as RFC 6749 §2.3.1 asks (`+` as `%2B`, `:` as `%3A`, `%` as `%25`, a space as `+`), which identity services that follow it (Keycloak, Spring Authorization Server) decode. The two differ only for an id or secret holding characters other than ASCII letters, digits and `-._*`: such a client refused with `invalid_client` by one form is admitted by the other (docs/sync.md).",
    },
    tls: credentialTls('tokenUrl'),
  },
  ['scheme', 'tokenUrl', 'clientId', 'clientSecret'],
);

/** A closed map from each canonical code to the platform's code: a typo'd canonical name is an error. */
const codeList = (description: string, keys: readonly string[]): Schema =>
  closed(description, Object.fromEntries(keys.map((k) => [k, str(`The platform's code for \`${k}\`.`)])));

const codes = closed(
  "Per-platform code lists; each entry overrides the selected base list's code for one canonical value. Default: the national collection (see docs/sync.md).",
  {
    list: {
      type: 'string',
      enum: ['national-collection', 'national-push'],
      default: 'national-collection',
      description:
        'The base lists: `national-collection` (operation 01 new, 02 renewal, 03 suspend, 04 expire, 05 cancel, 06 resume, 07 other, 08 moved in, 09 change or update) or `national-push` (01 new, 02 renewal, 03 suspend, 04 expired, 05 cancel/revoke/transfer-out, 06 resume, 08 transfer-in, 09 change — a content update is a change naming the version it replaces). Renewal and transfer-in records, and changes in `national-push`, carry the identifier of the license they continue (docs/lifecycle.md).',
    },
    status: codeList('Canonical status (`valid`, `revoked`, …) → platform status code.', LICENSE_STATUSES),
    operation: codeList(
      'Canonical operation (`issue`, `update`, `revoke`, …) → platform operation code.',
      LICENSE_OPERATIONS,
    ),
    holderIdType: codeList(
      'Holder id type (GB/T 36903 annex A, `001`, `111`, …) → platform code.',
      HOLDER_ID_TYPES,
    ),
  },
);

/** Knobs every target kind shares: they drive the target's `deliver-<target>` queue. */
export const delivery: Record<string, Schema> = {
  batchSize: int('Licenses per request.', 1, 10_000, { default: 100 }),
  // Whole request, its body's sending time added (adapters/whole-request-timeout.ts).
  timeoutMs: int(
    'Request timeout, ms: bounds the whole request, its answer read to the end, plus the time its body (license files included) takes to send at 128 KiB/s (a front database: each statement; docs/sync.md).',
    100,
    600_000,
    { default: 10_000 },
  ),
  concurrency: int('Jobs worked at once by each worker process.', 1, 256, { default: 4 }),
  attempts: int('Attempts before a delivery is dead-lettered.', 1, 100, { default: 8 }),
  backoffMs: int('First retry delay, ms; doubled on each attempt, with up to 50 % jitter.', 10, 3_600_000, {
    default: 1000,
  }),
  maxBackoffMs: int(
    'Longest wait between two attempts, ms: the doubling stops here, so a platform that is back is retried soon.',
    10,
    3_600_000,
    { default: 30_000 },
  ),
  pendingAlertMs: int(
    'A delivery still open (pending or submitted at the platform) this long after it was created (or after `licbridge dlq replay` or a repair last reopened it) needs a person: `licbridge status` exits 3 and /metrics counts it in `attention{kind="delivery-overdue"}`, ms.',
    1000,
    2_592_000_000,
    { default: 3_600_000 },
  ),
  reviewWaitMs: int(
    "How long `licbridge run` waits for this platform's verdicts once all it has left is deliveries the platform answered `submitted` (an asynchronous review): its idle timeout does not apply then; with no verdict for this long it ends, its state `in-review`, counting them, and a `licbridge worker` or the next run records the verdicts (exit code 0), ms. 0: end as soon as nothing but reviews is left.",
    0,
    2_592_000_000,
    { default: 600_000 },
  ),
  rateLimit: closed(
    'At most `max` delivery jobs per `durationMs`, across every worker of this target. Default: no limit.',
    {
      max: int('Jobs per window.', 1, 100_000),
      durationMs: int('Window, ms.', 1, 3_600_000),
    },
    ['max', 'durationMs'],
  ),
  codes,
};

/** How requests authenticate: the same schemes for every HTTP target that speaks JSON. */
export const auth: Schema = {
  type: 'object',
  description: 'How requests authenticate.',
  default: { scheme: 'none' },
  discriminator: { propertyName: 'scheme' },
  oneOf: [hmacAuth, noAuth, gatewayAuth, appKeyMd5Auth, oauth2Auth],
};
