import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { isIP } from 'node:net';
import type { ServeConfig } from '../../config/types.js';

/** True when basic or bearer credentials are configured; without them the dashboard is off. */
export function authConfigured(auth: ServeConfig['auth']): boolean {
  return Boolean(auth.token) || Boolean(auth.username && auth.password);
}

/**
 * The `WWW-Authenticate` challenges of a 401: only schemes that can succeed. A Basic challenge
 * makes a browser prompt for a login, which is useless (and misleading) when only a token is
 * configured; Bearer (RFC 6750) names what a client must send instead.
 */
export function challenges(auth: ServeConfig['auth']): string[] {
  const offered: string[] = [];
  if (auth.username && auth.password) offered.push('Basic realm="licbridge", charset="UTF-8"');
  if (auth.token) offered.push('Bearer realm="licbridge"');
  return offered;
}

/**
 * Checks the `Authorization` header against the configured basic credentials or bearer token.
 * Both sides are hashed before `timingSafeEqual`, so the comparison takes the same time whatever
 * the lengths: no timing side channel on the secret.
 */
export function isAuthorized(req: IncomingMessage, auth: ServeConfig['auth']): boolean {
  return authorizedBy(req, auth) !== undefined;
}

/**
 * Which configured credentials the request carries, or undefined. The scheme matters for CSRF: a
 * browser replays cached Basic credentials on any request to the host, a bearer token never.
 */
export function authorizedBy(
  req: IncomingMessage,
  auth: ServeConfig['auth'],
): 'basic' | 'bearer' | undefined {
  const header = req.headers.authorization;
  if (typeof header !== 'string') return undefined;
  const space = header.indexOf(' ');
  if (space < 0) return undefined;
  const scheme = header.slice(0, space).toLowerCase();
  const value = header.slice(space + 1).trim();
  if (scheme === 'bearer' && auth.token) return same(value, auth.token) ? 'bearer' : undefined;
  if (scheme === 'basic' && auth.username && auth.password) {
    const decoded = Buffer.from(value, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon < 0) return undefined;
    // Both halves are always compared, so a wrong user name takes as long as a wrong password.
    const userOk = same(decoded.slice(0, colon), auth.username);
    const passOk = same(decoded.slice(colon + 1), auth.password);
    return userOk && passOk ? 'basic' : undefined;
  }
  return undefined;
}

/** Timing-safe equality of two strings of any length (both are hashed first). */
export function sameSecret(given: string, expected: string): boolean {
  return same(given, expected);
}

function same(given: string, expected: string): boolean {
  const a = createHash('sha256').update(given).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b);
}

/** 127.0.0.0/8, ::1, and 127.x as an IPv4-mapped IPv6 address. */
export function isLoopbackAddress(address: string): boolean {
  return /^127\./.test(address) || address === '::1' || /^::ffff:127\./i.test(address);
}

/**
 * DNS rebinding: a web page at `http://attacker.example:9464` whose name is re-pointed at
 * 127.0.0.1 makes a browser on this host send its requests here, with `Host: attacker.example`,
 * and lets the page read the answers as its own. A server on loopback therefore answers only for
 * names that cannot be re-pointed: `localhost`, IP literals (no DNS is asked, so nothing can be
 * rebound) and the names configured. A request without `Host` (HTTP/1.0) comes from no browser.
 */
export function hostAllowed(host: string | undefined, allowed: readonly string[]): boolean {
  if (host === undefined) return true;
  const m = /^(?:\[([0-9A-Fa-f:.]+)\]|([^:[\]]+))(?::[0-9]*)?$/.exec(host);
  const name = (m?.[1] ?? m?.[2])?.toLowerCase().replace(/\.$/, '');
  if (!name) return false;
  if (name === 'localhost' || isIP(name) !== 0) return true;
  return allowed.some((a) => a.toLowerCase().replace(/\.$/, '') === name);
}
