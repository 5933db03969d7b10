// biome-ignore-all lint/suspicious/noTemplateCurlyInString: `${env:…}` and `${file:…}` are config reference syntax, not template slips.
import { closed, HTTP_URL_PATTERN, int, kindConst, type Schema, str } from './builders.js';

/** Targets: the platforms licenses are delivered to. One variant per `kind`, auth per `scheme`. */
const hmacAuth = closed(
  'HMAC-signed requests with an app key and secret.',
  {
    scheme: kindConst('hmac', 'Authentication scheme.'),
    appKey: str('App key issued by the platform.'),
    secret: str('App secret issued by the platform, usually `${env:…}`.'),
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

const restJsonTarget = closed(
  'A platform taking batches of licenses as JSON over HTTP.',
  {
    kind: kindConst('rest-json', 'Target kind.'),
    url: str('Base URL; batches are POSTed to `<url>/licenses/batch`.', { pattern: HTTP_URL_PATTERN }),
    auth: {
      type: 'object',
      description: 'How requests authenticate.',
      default: { scheme: 'none' },
      discriminator: { propertyName: 'scheme' },
      oneOf: [hmacAuth, noAuth],
    },
    batchSize: int('Licenses per request.', 1, 10_000, { default: 100 }),
    timeoutMs: int('Request timeout, ms.', 100, 600_000, { default: 10_000 }),
    concurrency: int('Jobs worked at once.', 1, 256, { default: 4 }),
    attempts: int('Attempts before a delivery is dead-lettered.', 1, 100, { default: 8 }),
  },
  ['kind', 'url'],
);

export const target: Schema = {
  type: 'object',
  description: 'A platform licenses are delivered to.',
  discriminator: { propertyName: 'kind' },
  oneOf: [restJsonTarget],
};
