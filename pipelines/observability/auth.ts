import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { ServeConfig } from '../../config/types.js';

/** True when basic or bearer credentials are configured; without them the dashboard is off. */
export function authConfigured(auth: ServeConfig['auth']): boolean {
  return Boolean(auth.token) || Boolean(auth.username && auth.password);
}

/**
 * Checks the `Authorization` header against the configured basic credentials or bearer token.
 * Both sides are hashed before `timingSafeEqual`, so the comparison takes the same time whatever
 * the lengths: no timing side channel on the secret.
 */
export function isAuthorized(req: IncomingMessage, auth: ServeConfig['auth']): boolean {
  const header = req.headers.authorization;
  if (typeof header !== 'string') return false;
  const space = header.indexOf(' ');
  if (space < 0) return false;
  const scheme = header.slice(0, space).toLowerCase();
  const value = header.slice(space + 1).trim();
  if (scheme === 'bearer' && auth.token) return same(value, auth.token);
  if (scheme === 'basic' && auth.username && auth.password) {
    const decoded = Buffer.from(value, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon < 0) return false;
    // Both halves are always compared, so a wrong user name takes as long as a wrong password.
    const userOk = same(decoded.slice(0, colon), auth.username);
    const passOk = same(decoded.slice(colon + 1), auth.password);
    return userOk && passOk;
  }
  return false;
}

function same(given: string, expected: string): boolean {
  const a = createHash('sha256').update(given).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b);
}
