/**
 * The `Idempotency-Key` memory of the simulated platform. Gateways in front of real platforms keep
 * the first answer to each key and replay it for any later request with that key, without looking
 * at the body (IETF draft-ietf-httpapi-idempotency-key-header; payment and government gateways
 * alike). A client whose keys collide — two different batches under one key — gets the first
 * batch's answer back for the second, and the second batch is never processed.
 *
 * One simplification: a re-sent batch with the same key AND the same body is processed again, item
 * by item, instead of replayed. Both give the same accepted keys and platform ids; processing keeps
 * the per-item `duplicate` flags and counters that tests of re-delivery read.
 *
 * The answers live in the state store (the last `MAX_REPLY_KEYS` keys), saved with the batch they
 * answer, so a restarted simulator still replays them.
 */
import { createHash } from 'node:crypto';
import type { JsonReply } from './batch-handler.js';
import type { StateStore } from './state-store.js';

export class IdempotencyCache {
  constructor(private readonly store: StateStore) {}

  /**
   * The first answer to `key` when it was given for a different body, else undefined. `bodyHash`
   * gives the body's {@link bodyHashOf}, asked for only when the key was answered before.
   */
  replayFor(key: string | undefined, bodyHash: () => string): JsonReply | undefined {
    if (!key) return undefined;
    const first = this.store.replyFor(key);
    if (!first || first.bodyHash === bodyHash()) return undefined;
    return first.reply;
  }

  /** Keeps the answer to a processed batch; only successful answers are kept, as gateways do. */
  remember(key: string | undefined, bodyHash: () => string, reply: JsonReply): void {
    if (!key || reply.status !== 200) return;
    this.store.keepReply(key, bodyHash(), reply);
  }
}

/** Lowercase hex SHA-256 of a request body: what a kept answer is matched on (and the HMAC signs). */
export const bodyHashOf = (body: Buffer): string => createHash('sha256').update(body).digest('hex');
