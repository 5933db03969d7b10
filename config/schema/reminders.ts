/**
 * Expiry reminders (e-license rules art. 30: the issuing unit reminds holders before a license
 * expires): the `lifecycle.reminders` section, which says per license type how many days before
 * `validTo` a holder is reminded, and through which `notify` target (a message gateway, whose
 * config variant is in adapters/platforms/notify/kind.ts). See docs/lifecycle.md, "Reminders".
 */
import { closed, int, LICENSE_TYPE_PATTERN, nameRef, type Schema, str } from './builders.js';

const reminderType = closed(
  'Reminders for the licenses of one type.',
  {
    target: nameRef('The `notify` target that sends them.'),
    thresholds: {
      type: 'array',
      description:
        'Days before `validTo` on which the holder is reminded, e.g. `[90, 30, 7]`. A license gets the reminder of the smallest threshold it has reached, once for each `validTo` it has, and none of the larger ones it passed while no tick ran.',
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
