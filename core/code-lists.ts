/**
 * The canonical code lists every layer speaks: config validates platform code-list overrides
 * against them, the catalog validates licenses with them, adapters map them per platform.
 */

/** One canonical status enum; each platform maps it onto its own code list in config. */
export const LICENSE_STATUSES = [
  'valid',
  'suspended',
  'withdrawn',
  'cancelled',
  'expired',
  'moved-out',
  'revoked',
  'other',
] as const;

/**
 * What a version does to the license at a platform. `renew`, `change` and `transfer` are the first
 * version of a license that continues another (its `previousIdentifier`): a renewal (延续), a
 * change that reissues the license under a new number (变更), a license moved in from another
 * area or holder (迁入). The mapping decides which (docs/lifecycle.md). `transfer-out` (迁出) is the
 * version that moves a license out (status `moved-out`).
 */
export const LICENSE_OPERATIONS = [
  'issue',
  'update',
  'suspend',
  'resume',
  'revoke',
  'cancel',
  'expire',
  'renew',
  'change',
  'transfer',
  'transfer-out',
] as const;

/** Operations whose version must name the license it continues. */
export const SUCCESSOR_OPERATIONS = ['renew', 'change', 'transfer'] as const;

/**
 * Holder id type codes (GB/T 36903 annex A, as platforms use them): `001` unified social credit
 * code, `099` other organisation document, `111` resident ID, `114`–`122` military and police
 * documents, `411`–`414` passports, `511` Taiwan travel permit, `516` Hong Kong/Macao travel
 * permit, `999` other personal document.
 */
export const HOLDER_ID_TYPES = [
  '001',
  '099',
  '111',
  '114',
  '115',
  '118',
  '119',
  '120',
  '122',
  '411',
  '412',
  '413',
  '414',
  '511',
  '516',
  '999',
] as const;
