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
 */
import { createHash } from 'node:crypto';
import type { JsonReply } from './batch-handler.js';

/** Keys remembered; the oldest is forgotten first (gateways keep keys for a day or so). */
const MAX_KEYS = 10_000;

export class IdempotencyCache {
  private readonly answers = new Map<string, { bodyHash: string; reply: JsonReply }>();

  /** The first answer to `key` when it was given for a different body, else undefined. */
  replayFor(key: string | undefined, body: Buffer): JsonReply | undefined {
    if (!key) return undefined;
    const first = this.answers.get(key);
    if (!first || first.bodyHash === hashOf(body)) return undefined;
    return first.reply;
  }

  /** Keeps the answer to a processed batch; only successful answers are kept, as gateways do. */
  remember(key: string | undefined, body: Buffer, reply: JsonReply): void {
    if (!key || reply.status !== 200 || this.answers.has(key)) return;
    if (this.answers.size >= MAX_KEYS) {
      const oldest = this.answers.keys().next().value;
      if (oldest !== undefined) this.answers.delete(oldest);
    }
    this.answers.set(key, { bodyHash: hashOf(body), reply });
  }
}

const hashOf = (body: Buffer): string => createHash('sha256').update(body).digest('hex');
