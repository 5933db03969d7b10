/**
 * The reminder port of the ledger (`ledger.reminders`, implemented in ledger/reminders.ts) and the
 * shapes it reads and writes: a reminder row, its outcome, and what a reminder says of a version.
 * Nothing here holds a contact but `contacts`' answer, which the reminder step alone reads.
 */

import type { HolderContact } from '../catalog/holder-contact.js';
import type { ReminderClaims } from './reminder-claims.js';

export type ReminderState = 'pending' | 'sent' | 'skipped' | 'dropped';

/**
 * The reason of a reminder skipped as its license's stored text, or its holder's stored contact,
 * does not read (reminder-sender.ts): nothing went out, and once the text is restored (the contact
 * written again) the reminder is due again, as a `dropped` one is.
 */
export const SKIPPED_STORED_TEXT = 'stored-text';

/**
 * `contacts`' answer for a license whose stored contact does not read (its JSON cut short by a
 * disk or a hand): its reminder is skipped as `stored-text`, the other holders are reminded.
 */
export interface UnreadableContact {
  readonly unreadable: true;
}

/** A holder's contact as the ledger keeps it, or the mark of one that does not read. */
export type StoredContact = HolderContact | UnreadableContact;

export const UNREADABLE_CONTACT: UnreadableContact = { unreadable: true };

/**
 * Whether a reminder row reminded nobody and may be due again: closed `dropped` unsent, or skipped
 * as its stored text did not read (a person restores it). Any other `skipped` (no contact, a
 * refusal) is the reminder's answer: written again, it would be skipped again, audited each tick.
 */
export function remindedNobody(r: { state: string; reason: string | null }): boolean {
  return r.state === 'dropped' || (r.state === 'skipped' && r.reason === SKIPPED_STORED_TEXT);
}

export interface StoredReminder {
  /**
   * `<licenseId>:<version>:<threshold>` of the version the reminder was first written for; also the
   * gateway's idempotency key (with the target). A reminder due again at a later version with the
   * same `validTo` (a resumed license) keeps it (ledger/reminder-open.ts).
   */
  key: string;
  licenseId: string;
  version: number;
  pipeline: string;
  target: string;
  /**
   * The target the row was first written pending for (migration 027): the gateway's idempotency
   * key derives from it, so a reminder moved to a renamed target is sent again under its first key.
   */
  keyTarget: string;
  threshold: number;
  validTo: string;
  daysLeft: number;
  /** The day (`YYYY-MM-DD`) the reminder was found due. */
  dueDay: string;
  state: ReminderState;
  attempts: number;
  messageId: string | null;
  reason: string | null;
  createdAt: Date;
  updatedAt: Date;
  sentAt: Date | null;
  /**
   * The day (`YYYY-MM-DD`, in `lifecycle.timeZone`) a tick last counted a failed send of it
   * (migration 039): a pending reminder is sent again on a later day, not by another tick that day.
   */
  lastAttemptDay: string | null;
}

/** A license whose holder can be reminded: it is `valid`, has a contact, and expires in the window. */
export interface ReminderCandidate {
  licenseId: string;
  pipeline: string;
  version: number;
  validTo: string;
}

export interface NewReminder {
  licenseId: string;
  version: number;
  pipeline: string;
  target: string;
  threshold: number;
  validTo: string;
  daysLeft: number;
  dueDay: string;
}

export interface ReminderOutcome {
  key: string;
  state: Exclude<ReminderState, 'pending'>;
  messageId?: string;
  /** Machine-readable: `no-contact`, `contact-invalid`, `gateway-refused:<code>`, `license-not-valid`, `superseded`, … */
  reason?: string;
  /** Days left as the sent message said them (a re-send says today's); the row's stay otherwise. */
  daysLeft?: number;
  /** The audit actor: `target:<name>`. */
  actor: string;
  /** SHA-256 hex of the idempotency key, the audit entry's digest. */
  digest: string;
}

/** The parts of a license version a reminder names; keyed `<licenseId>:<version>`. Nothing of the holder. */
export interface VersionFacts {
  number: string;
  typeName: string;
  issuerName: string;
  validTo: string | null;
  /**
   * Its stored text does not read, or reads as another license than the content hash its version
   * records (altered since it was written): nothing of it is known, and no reminder names it.
   */
  unreadable?: true;
}

export interface ReminderQuery {
  state?: ReminderState;
  pipeline?: string;
  /** @defaultValue 1000 */
  limit?: number;
}

/** The reminder port of the ledger: `ledger.reminders`. */
export interface ReminderStore {
  /** Licenses of `pipelines` still `valid`, with a contact, whose `validTo` is in `[from, to]`, by license id after `after`. */
  candidates(query: {
    pipelines: readonly string[];
    from: string;
    to: string;
    after?: string;
    limit: number;
  }): Promise<ReminderCandidate[]>;
  /** Every reminder row of these licenses. */
  forLicenses(licenseIds: readonly string[]): Promise<StoredReminder[]>;
  /**
   * Writes `pending` rows for reminders that have none, and makes a `dropped` row of the same
   * reminder — license, `validTo` and threshold, whatever its version — `pending` again under its
   * key (it was never sent: ledger/reminder-open.ts); returns the stored rows of all of them.
   */
  open(reminders: readonly NewReminder[]): Promise<StoredReminder[]>;
  /**
   * `pending` rows, each target's in turns (its first, each other target's first, its second…) so
   * a target that is down does not fill the `limit` with rows it leaves untried; within a target
   * the least lately tried first (never tried, then by the day of their last failed attempt),
   * oldest first among equals, so rows that fail every day do not fill the `limit` of every tick
   * and keep the others from ever being tried; those whose last failed attempt was on `triedLast`
   * (today: the tick only defers them, migration 039), or on a day from `triedLast` to
   * `triedUntil`, after all others. With `pipelines`, only theirs: the `limit` counts those alone.
   */
  pending(
    limit: number,
    triedLast?: string,
    triedUntil?: string,
    pipelines?: readonly string[],
  ): Promise<StoredReminder[]>;
  /**
   * Leases these `pending` reminders to `owner` for `leaseMs` where no other tick holds them
   * (ledger/reminder-claims.ts): the claimed keys, and those another tick holds, with the end of
   * its lease. With `seen` (the attempts the claimer read, by key), a reminder whose attempts
   * moved since is not claimed but returned `tried`: another tick's failed send counts for this
   * one's. A tick sends or drops only what it claimed.
   */
  claim(
    keys: readonly string[],
    owner: string,
    leaseMs: number,
    seen?: ReadonlyMap<string, number>,
  ): Promise<ReminderClaims>;
  /**
   * Ends `owner`'s leases on these reminders (a send that threw before its outcome was recorded,
   * one that never left). Answers how many of them are still `pending`: one another tick's outcome
   * closed since (a `sent` is recorded whoever holds the row) is not.
   */
  release(keys: readonly string[], owner: string): Promise<number>;
  /** The current status and `validTo` of these licenses (a pending row is re-sent only while they hold). */
  licenseStates(
    licenseIds: readonly string[],
  ): Promise<Map<string, { status: string; validTo: string | null }>>;
  /**
   * Those of these licenses a later license continues (a renewal, under their number or, naming
   * them as `previousIdentifier`, under a new one): their holders have renewed, and are not
   * reminded that the old license runs out.
   */
  continued(licenseIds: readonly string[]): Promise<Set<string>>;
  /** What a reminder says of each (license, version): number, type and issuer names, `validTo`. */
  versionFacts(
    versions: readonly { licenseId: string; version: number }[],
  ): Promise<Map<string, VersionFacts>>;
  /**
   * The contacts of these licenses; one whose stored text does not read is answered as
   * {@link UnreadableContact}, never thrown. Read by the reminder step only.
   */
  contacts(licenseIds: readonly string[]): Promise<Map<string, StoredContact>>;
  /**
   * Final states, each with its `remind` audit entry, in one transaction, by the tick `owner`: its
   * claims end, another tick's stay. `sent` is recorded whoever holds the row (and on a `dropped`
   * one: the gateway took the message); `skipped` and `dropped` only on a row `owner` holds, or
   * nobody does. Answers how many rows it moved (each audited): an outcome another tick's came
   * before changes nothing and is not counted.
   */
  record(outcomes: readonly ReminderOutcome[], owner: string): Promise<number>;
  /**
   * Counts a failed attempt by the tick `owner` of the day `day` (its today, stored: the next tick
   * of that day leaves the reminder to a later day); the row stays `pending`. The attempt counts
   * whoever holds the row; only `owner`'s claim ends. Answers how many rows it counted on: one
   * another tick's outcome closed since (a `sent` is recorded whoever holds the row) is not.
   */
  attempt(keys: readonly string[], error: string, owner: string, day?: string): Promise<number>;
  list(query?: ReminderQuery): Promise<StoredReminder[]>;
  /** How many rows are in each state (of `pipeline`, when given): the whole ledger, not a page of it. */
  countByState(query?: { pipeline?: string }): Promise<Record<ReminderState, number>>;
  /**
   * Deletes the contacts of licenses that are no longer `valid` (expired, revoked, cancelled,
   * suspended): no reminder will be sent for them, and personal data is kept no longer than its
   * use needs. A license that becomes valid again is read again, with its contact. So are, whatever
   * their licenses' status, the contacts of `unread` pipelines: their mappings read no contact any
   * more, so none of them is written again nor used for a reminder.
   */
  purgeContacts(unread?: readonly string[]): Promise<number>;
  /** Per target: reminders still `pending` that were written before `before`, and the oldest. */
  stalePending(before: Date): Promise<StalePending[]>;
}

export interface StalePending {
  target: string;
  count: number;
  oldest: Date;
}
