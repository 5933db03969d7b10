/** Keys whose values are secrets: a message names their type, never their value. */
export const SECRET_KEYS: ReadonlySet<string> = new Set([
  'password',
  'secret',
  'passphrase',
  'key',
  'token',
  'clientSecret',
  'sentinelPassword',
]);

/**
 * Whether a URL's query parameter names a secret: a gateway's `access_token`, `appSecret`, `sign`
 * or `api_key` written into a target's URL. Compared in lower case, without `-` and `_`.
 */
export function secretQueryParam(name: string): boolean {
  return SECRET_PARAM.test(name.toLowerCase().replace(/[-_]/g, ''));
}

const SECRET_PARAM =
  /(pass(word|wd|phrase)?|secret|token|signature|key|credential)s?$|^(auth|authorization|sign|sig)$/;

/**
 * `scheme://user:password@…` (a password may hold `/`, `?` or `#`; one holding `@` is found at its
 * first `@`, which is enough to tell the URL has one). The user
 * ends at the first `:`, so the test is linear: `[^@\s]*:` let a value of many colons be tried at
 * each one, a second for 20,000 of them.
 */
export function urlWithPassword(value: unknown): boolean {
  return typeof value === 'string' && /^[A-Za-z][A-Za-z0-9+.-]*:\/\/[^@\s:]*:[^@\s]*@/.test(value.trim());
}
