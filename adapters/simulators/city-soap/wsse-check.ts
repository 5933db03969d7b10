/**
 * WS-Security UsernameToken check (OASIS UsernameToken Profile 1.0, PasswordDigest), as the city
 * service enforces it: known user, `Created` within 5 minutes, digest matches, nonce not seen.
 * Written apart from the client's envelope builder on purpose (a shared bug would pass both).
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { ParsedToken } from '../../platforms/soap-xml/envelope.js';
import { MemoryNonces, type NonceStore } from '../nonce-store.js';

export const MAX_SKEW_MS = 5 * 60 * 1000;

export type WsseRefusal =
  | 'missing-credentials'
  | 'unknown-user'
  | 'bad-digest'
  | 'stale-timestamp'
  | 'replayed-nonce';

export class WsseCheck {
  /**
   * `nonces` keeps each nonce while its token is inside the window, which a token dated ahead of
   * this clock stays in for up to 5 minutes longer than one dated now: until `Created` + 5 minutes.
   * In the state file when the simulator has one, so a token replayed after a restart is refused.
   */
  constructor(
    private readonly username: string,
    private readonly password: string,
    private readonly clock: () => number,
    private readonly nonces: NonceStore = new MemoryNonces(),
  ) {}

  check(token: ParsedToken | undefined): { ok: true } | { ok: false; reason: WsseRefusal } {
    if (!token?.username || !token.digest || !token.nonce || !token.created) {
      return { ok: false, reason: 'missing-credentials' };
    }
    if (token.username !== this.username) return { ok: false, reason: 'unknown-user' };
    const created = Date.parse(token.created);
    const now = this.clock();
    if (Number.isNaN(created) || Math.abs(now - created) > MAX_SKEW_MS)
      return { ok: false, reason: 'stale-timestamp' };
    const expected = createHash('sha1')
      .update(Buffer.from(token.nonce, 'base64'))
      .update(token.created + this.password, 'utf8')
      .digest();
    const given = Buffer.from(token.digest, 'base64');
    if (given.length !== expected.length || !timingSafeEqual(given, expected))
      return { ok: false, reason: 'bad-digest' };
    if (!this.nonces.claim(token.nonce, created + MAX_SKEW_MS, now))
      return { ok: false, reason: 'replayed-nonce' };
    return { ok: true };
  }
}
