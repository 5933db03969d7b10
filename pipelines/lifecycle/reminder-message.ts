/**
 * What an expiry reminder says and to whom (reminder-sender.ts sends it): the holder's contact on
 * the target's channel (a phone number normalised for SMS, the app user id for push) and the
 * license's facts as the template's parameters. A reminder that cannot be addressed or filled is
 * skipped with a reason, never sent half-filled.
 */
import type { NotifyTargetConfig } from '../../adapters/platforms/notify/config.js';
import type { ReminderMessage } from '../../adapters/platforms/notify/notify-target.js';
import { type HolderContact, normalizePhone } from '../../catalog/holder-contact.js';
import type { StoredReminder, VersionFacts } from '../../ledger/reminders.js';

/** Why a reminder is skipped unsent: its version's facts are gone, or its holder has no usable contact. */
export type UnaddressedReason = 'version-missing' | 'no-contact' | 'contact-invalid';

/**
 * The message of `row` on `channel`, or the reason it is skipped. `template` is asked for only once
 * the message can go: a reminder skipped for want of a contact needs none.
 */
export function reminderMessage(
  row: StoredReminder,
  channel: NotifyTargetConfig['channel'],
  contact: HolderContact | undefined,
  fact: VersionFacts | undefined,
  template: () => string | undefined,
): { message: ReminderMessage } | { skipped: UnaddressedReason } {
  const raw = channel === 'sms' ? contact?.phone : contact?.appUserId;
  const recipient = raw === undefined ? undefined : channel === 'sms' ? normalizePhone(raw) : raw;
  if (recipient === undefined || !fact) {
    return { skipped: !fact ? 'version-missing' : raw === undefined ? 'no-contact' : 'contact-invalid' };
  }
  const chosen = template();
  return {
    message: {
      key: row.key,
      // The key first used, whatever the target is called now: a gateway that took the
      // message under the old name replays its answer instead of sending it again.
      keyTarget: row.keyTarget,
      recipient,
      ...(chosen === undefined ? {} : { template: chosen }),
      params: {
        licenseType: fact.typeName,
        number: fact.number,
        issuer: fact.issuerName,
        validTo: row.validTo,
        daysLeft: row.daysLeft,
      },
    },
  };
}
