// biome-ignore-all lint/suspicious/noTemplateCurlyInString: `${env:…}` and `${file:…}` are config reference syntax, not template slips.
/** A message gateway for expiry reminders as a target kind (see adapters/platforms/kind-spec.ts). */
import { closed, HTTP_URL_PATTERN, int, kindConst, str } from '../../../config/schema/builders.js';
import { auth } from '../../../config/schema/target-parts.js';
import { tls } from '../../../config/schema/tls.js';
import { ErrorCodes, LicbridgeError } from '../../../core/errors.js';
import { plainHttpTlsProblems } from '../../plain-http-tls.js';
import type { TargetKindSpec } from '../kind-spec.js';
import type { NotifyTargetConfig } from './config.js';

/** The config variant of a `notify` target; `auth` is the JSON targets' own. */
const schema = closed(
  "A message gateway (SMS or app push over REST/JSON) that sends expiry reminders to holders. It takes reminders, not licenses: name it in `lifecycle.reminders`, never in a pipeline's `targets`.",
  {
    kind: kindConst('notify', 'Target kind.'),
    url: str('Base URL; each reminder is POSTed to `<url>/messages`.', { pattern: HTTP_URL_PATTERN }),
    channel: {
      type: 'string',
      enum: ['sms', 'push'],
      default: 'sms',
      description:
        "How holders are reached: `sms` to the mapping's `contact.phone`, `push` to its `contact.appUserId` (the government service app).",
    },
    auth,
    tls,
    template: str("The gateway's template id for the expiry message; the message's parameters fill it.", {
      default: 'license-expiry',
    }),
    sender: str(
      'The sender the gateway shows (an SMS signature, an app name), when it asks for one. Default: none.',
    ),
    timeoutMs: int('Request timeout, ms.', 100, 600_000, { default: 10_000 }),
    concurrency: int('Reminders in flight at once.', 1, 64, { default: 4 }),
    attempts: int(
      'Attempts per reminder within one tick; a reminder still unanswered stays pending and the next tick sends it again under the same idempotency key.',
      1,
      20,
      { default: 3 },
    ),
    backoffMs: int('First retry delay, ms; doubled on each attempt.', 10, 600_000, { default: 1000 }),
  },
  ['kind', 'url'],
);

export const notifyKind = {
  kind: 'notify',
  title: 'message gateway (expiry reminders)',
  schema,
  // It takes reminders (pipelines/lifecycle/reminders.ts), never licenses.
  delivers: false,
  // `tls` next to an `http://` url would verify nothing and encrypt nothing (adapters/plain-http-tls.ts).
  problems: plainHttpTlsProblems,
  async open(name, _config: NotifyTargetConfig) {
    // config/reminder-refs.ts refuses a pipeline naming one; this guards callers in code.
    throw new LicbridgeError(
      ErrorCodes.USAGE,
      `target ${name}: a notify target sends reminders to holders; licenses cannot be delivered to it`,
      { context: { target: name } },
    );
  },
} as const satisfies TargetKindSpec<NotifyTargetConfig>;
