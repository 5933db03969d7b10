/**
 * A gateway's words about one reminder — its refusal's reason, a failure's detail — as the ledger
 * (`reminders.reason`), the audit chain (`remind` entries, hash-chained: never scrubbed later) and
 * `lifecycle reminders` keep them. Gateways echo the number they were sent in their own form
 * (`no-route-139-1234-0002` for `13912340002`), which neither the recipient as sent nor a run of
 * seven digits finds (core/scrub.ts): such a form is masked too, as storableMessageId
 * (adapters/platforms/notify/notify-target.ts) keeps such a message id only as a digest.
 */
import { maskContact } from '../../core/mask.js';
import { MIN_SECRET_LENGTH, scrubPersonal } from '../../core/scrub.js';

/** What a number may be written apart with: `139-1234-0002`, `139 1234 0002`, `(139)1234.0002`. */
const SEPARATORS = '[\\s\\-._()/]*';
/** A recipient with fewer digits is no phone number (an app user id): its literal form is masked only. */
const MIN_DIGITS = 7;
/** The digits looked for at least, as storableMessageId looks for them: a number's last eight. */
const TAIL = 8;

/** `digits` written apart by any separators. */
function apart(digits: string): string {
  return [...digits].join(SEPARATORS);
}

/**
 * The digits before a number's last eight, each of them or none, from the right, with what
 * separates them: a recipient sent as `+8613912340002` comes back as `139-1234-0002` just as often,
 * and its `139` (not the whole `86139`) is masked too.
 */
function leadOf(digits: string): string {
  let pattern = '';
  for (const d of digits) pattern = `(?:${pattern}${d}${SEPARATORS})?`;
  return pattern;
}

/**
 * `text` with the recipient in any case masked as maskContact masks it: a gateway writes a push
 * recipient (an app user id) in its own case (`busy-zhangsan88` for `ZhangSan88`), in a failure's
 * token as in a refusal's (notify-target.ts withoutRecipient masks only the refusal's). Shorter than
 * MIN_SECRET_LENGTH, as scrubPersonal takes values, it would blank out ordinary words.
 */
function withoutRecipient(text: string, recipient: string): string {
  if (recipient.length < MIN_SECRET_LENGTH) return text;
  const named = new RegExp(recipient.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), 'giu');
  return text.replace(named, (found) => maskContact(found));
}

/**
 * `text` with the recipient, as sent in any case and written apart, masked to its last four
 * characters. Masked whole before the ledger cuts the text to 200 characters (ledger/reminders.ts):
 * a target name and an origin long enough put that cut through the gateway's token, and the start
 * of a recipient cut there is no value any masking finds after (`busy-zhangsa...`).
 */
export function scrubReminderText(text: string, recipient: string): string {
  const scrubbed = scrubPersonal(withoutRecipient(text, recipient), [], maskContact);
  const digits = recipient.replace(/\D/g, '');
  if (digits.length < MIN_DIGITS) return scrubbed;
  const lead = digits.slice(0, -TAIL);
  const tail = digits.slice(-TAIL);
  // The digits before the last eight go with them, as many of them as the text holds (`139-1234-0002`).
  const written = new RegExp(`${leadOf(lead)}${apart(tail)}`, 'g');
  return scrubbed.replace(written, (found) => {
    let kept = 4;
    return [...found]
      .reverse()
      .map((c) => (/\d/.test(c) && kept-- <= 0 ? '*' : c))
      .reverse()
      .join('');
  });
}
