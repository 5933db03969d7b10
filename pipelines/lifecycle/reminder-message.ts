/**
 * What an expiry reminder says and to whom (reminder-sender.ts sends it): the holder's contact on
 * the target's channel (a phone number normalised for SMS, the app user id for push) and the
 * license's facts as the template's parameters. A reminder that cannot be addressed or filled is
 * skipped with a reason, never sent half-filled.
 */
import type { NotifyTargetConfig } from '../../adapters/platforms/notify/config.js';
import type { ReminderMessage } from '../../adapters/platforms/notify/notify-target.js';
import { type HolderContact, normalizePhone } from '../../catalog/holder-contact.js';
import type { StoredContact, StoredReminder, VersionFacts } from '../../ledger/reminders.js';

/** Why a reminder is skipped unsent: its version's facts are gone, or its holder has no usable contact. */
export type UnaddressedReason = 'version-missing' | 'no-contact' | 'contact-invalid';

/**
 * The message of `row` on `channel`, or the reason it is skipped. `template` is asked for only once
 * the message can go: a reminder skipped for want of a contact needs none.
 */
export function reminderMessage(
  row: StoredReminder,
  channel: NotifyTargetConfig['channel'],
  stored: StoredContact | undefined,
  fact: VersionFacts | undefined,
  template: () => string | undefined,
): { message: ReminderMessage } | { skipped: UnaddressedReason } {
  // One that does not read is the sender's to skip first (unreadableText); here it reaches nobody.
  const contact: HolderContact | undefined = stored && 'unreadable' in stored ? undefined : stored;
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

/**
 * Why a reminder cannot be written from what the ledger holds, said for a person (its license id,
 * never a value), or undefined: its version's text does not read or no longer matches the content
 * hash the version records, or its holder's stored contact does not read. Such a reminder is
 * skipped (`stored-text`) and due again at the next tick, sent once the text reads again.
 */
export function unreadableText(
  row: StoredReminder,
  fact: VersionFacts | undefined,
  contact: StoredContact | undefined,
): string | undefined {
  if (fact?.unreadable)
    return `lifecycle: license ${row.licenseId} version ${row.version}: its stored text does not read or does not match the content hash its version records, so its expiry reminder was skipped (it is sent once the text is restored); \`licbridge verify --license ${row.licenseId}\` shows what the ledger holds of it`;
  if (contact !== undefined && 'unreadable' in contact)
    return `lifecycle: license ${row.licenseId}: its holder's stored contact does not read, so its expiry reminder was skipped; it is tried again at each tick and sent once a run writes the holder's contact again from the source row`;
  return undefined;
}
