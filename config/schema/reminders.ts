/**
 * Expiry reminders (e-license rules art. 30: the issuing unit reminds holders before a license
 * expires): the `notify` target kind, a message gateway, and the `lifecycle.reminders` section,
 * which says per license type how many days before `validTo` a holder is reminded, and through
 * which gateway. See docs/lifecycle.md, "Reminders".
 */
import {
  closed,
  HTTP_URL_PATTERN,
  int,
  kindConst,
  LICENSE_TYPE_PATTERN,
  nameRef,
  type Schema,
  str,
} from './builders.js';
import { tls } from './tls.js';

/** A `notify` target; `auth` is the JSON targets' own schema, handed in by targets.ts. */
export const notifyTarget = (auth: Schema): Schema =>
  closed(
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

const reminderType = closed(
  'Reminders for the licenses of one type.',
  {
    target: nameRef('The `notify` target that sends them.'),
    thresholds: {
      type: 'array',
      description:
        'Days before `validTo` on which the holder is reminded, e.g. `[90, 30, 7]`. A license gets the reminder of the smallest threshold it has reached, once per version, and none of the larger ones it passed while no tick ran.',
      minItems: 1,
      uniqueItems: true,
      items: int('Days before `validTo`.', 0, 3660),
    },
    template: str("Overrides the target's `template` for this license type. Default: the target's."),
  },
  ['target', 'thresholds'],
);

export const reminders: Schema = {
  type: 'object',
  description:
    "Expiry reminders to holders (e-license rules art. 30), by license type code. Sent by `licbridge lifecycle run` after the day's expiries; listed by `licbridge lifecycle reminders`. Default: none.",
  default: {},
  additionalProperties: false,
  patternProperties: { [LICENSE_TYPE_PATTERN]: reminderType },
};
