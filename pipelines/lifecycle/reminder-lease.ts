/**
 * How long a tick's claim on a reminder lasts (ledger/reminder-claims.ts): the longest one send
 * can take, and a margin for recording its answer (reminder-sender.ts).
 */
import type { NotifyTargetConfig } from '../../adapters/platforms/notify/config.js';

/** The longest a credential fetch takes (oauth2 token, appkey-md5 secret refresh): their own timeout. */
const CREDENTIAL_FETCH_MS = 10_000;

/** What a claim's lease keeps beyond the send, for recording its answer. */
export const RECORD_MARGIN_MS = 5_000;

/** The longest one attempt of a send can take: one request, or two and two credential fetches when a 401 renews them. */
export function attemptMs(config: Pick<NotifyTargetConfig, 'timeoutMs' | 'auth'>): number {
  const renews =
    config.auth.scheme === 'oauth2' || (config.auth.scheme === 'appkey-md5' && !!config.auth.refreshUrl);
  return renews ? 2 * (config.timeoutMs + CREDENTIAL_FETCH_MS) : config.timeoutMs;
}

/**
 * A claim's lease: as long as one reminder's send can take (every attempt timing out, with the
 * backoffs between them) and a margin for recording its answer. With credentials that renew
 * (oauth2; appkey-md5 with a `refreshUrl`) an attempt can fetch them, be refused with a 401, fetch
 * them again and be sent a second time (shared/auth/with-renewal.ts): two requests and two fetches.
 * A tick that dies holding a claim leaves its reminder to the others this much later.
 */
export function sendLeaseMs(
  config: Pick<NotifyTargetConfig, 'attempts' | 'timeoutMs' | 'backoffMs' | 'auth'>,
): number {
  const attempts = Math.max(1, config.attempts);
  let backoff = 0;
  for (let a = 1; a < attempts; a++) backoff += config.backoffMs * 2 ** (a - 1);
  return attempts * attemptMs(config) + backoff + RECORD_MARGIN_MS;
}
