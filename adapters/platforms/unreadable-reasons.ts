/**
 * Why a platform's entry cannot be read back into a license (PlatformRecord `unreadable.reason`),
 * defined once: the adapters give these words (rest-json/lookup.ts), and so does the platform check
 * for an entry whose licenseId has white space around it (pipelines/reconcile/padded-id.ts); the
 * English reports and the stored report show them as given, and the Chinese reports look their own
 * words up by them (pipelines/reconcile/report-view.ts). A reason is named by its fields, never
 * their values (personal data). Reworded here, it is reworded for both; added here, the Chinese
 * table's type asks for its words.
 */
export const UNREADABLE_REASONS = {
  notAnObject: 'the entry is not an object',
  noLicenseId: 'it has no licenseId',
  // A version is a whole number from 1 (platform-entry.ts versionOf); one that is not is named by
  // its shape, as a number or as text written as one (`"2.5"` is a fraction as 2.5 is); text written
  // otherwise, true or false, a list or an object are not a number at all.
  versionNotNumber: 'its version is not a number',
  versionFraction: 'its version is a fraction',
  versionNegative: 'its version is a negative number',
  versionZero: 'its version is zero',
  versionTooLarge: 'its version is a number too large to hold exactly',
  // Text of a whole number from 1 with a sign or a decimal point (`"+2"`, `"2.0"`): only digits are.
  versionSignedOrPointed: 'its version is a whole number written with a sign or a decimal point',
  licenseUnreadable: 'its license cannot be read',
  contentNotHashable: 'its content cannot be hashed',
  // An id that is a license id of the pipeline's prefix once the white space is taken off.
  licenseIdPaddedBefore: 'its licenseId has white space before it',
  licenseIdPaddedAfter: 'its licenseId has white space after it',
  licenseIdPaddedAround: 'its licenseId has white space before and after it',
  // One that is a license id of the pipeline's prefix once read in half-width upper case.
  licenseIdOtherForm: 'its licenseId is written in other characters (lower case or full-width)',
  // A second record of one license, under another platform id (pipelines/reconcile/listing-order.ts).
  listedTwice: 'the platform lists its license more than once',
} as const;

export type UnreadableReasonCode = keyof typeof UNREADABLE_REASONS;
export type UnreadableReason = (typeof UNREADABLE_REASONS)[UnreadableReasonCode];
