/**
 * How a holder is reached for expiry reminders (e-license rules art. 30: the issuing unit reminds
 * holders before a license expires). A contact is personal data: it is never part of a license,
 * never signed, never sent to a platform, and used for reminders only. The mapping writes it
 * under `contact.*`; the ledger keeps it beside the license, not inside any version.
 */

/** The contact fields a mapping may write (`contact.phone`, `contact.appUserId`). */
export const CONTACT_FIELDS = ['phone', 'appUserId'] as const;
export type ContactField = (typeof CONTACT_FIELDS)[number];

export interface HolderContact {
  /** Mobile number for SMS, digits with an optional leading `+`. */
  phone?: string;
  /** The holder's user id in the government service app, for app push. */
  appUserId?: string;
}

/** The contact a mapped `contact` object holds: trimmed non-empty strings only; `null` when none is left. */
export function toHolderContact(value: unknown): HolderContact | null {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return null;
  const out: HolderContact = {};
  for (const field of CONTACT_FIELDS) {
    const v = (value as Record<string, unknown>)[field];
    const text = typeof v === 'number' ? String(v) : typeof v === 'string' ? v.trim() : '';
    if (text !== '') out[field] = text;
  }
  return Object.keys(out).length === 0 ? null : out;
}

/**
 * A phone number as an SMS gateway takes it: spaces, dashes, dots and brackets dropped (legacy
 * systems keep `138-0013-8000` and `(0532) 8888 1234`), then 5 to 15 digits with an optional `+`
 * (ITU-T E.164 allows at most 15). Undefined when it is not one.
 */
export function normalizePhone(value: string): string | undefined {
  const compact = value.replace(/[\s\-.()（）]/g, '');
  return /^\+?[0-9]{5,15}$/.test(compact) ? compact : undefined;
}
