/**
 * The small rules of the deliver queue, apart from BullMQ wiring: how long a job waits for an
 * earlier version, how a Retry-After is read off an error, and what becomes a dead letter.
 */
import { failureMessage, isLicbridgeError } from '../core/errors.js';
import type { DeliveryLedger } from '../ledger/ledger.js';

/** Name of the deliver jobs' backoff strategy; only licbridge's deliver workers know it. */
export const DELIVER_BACKOFF = 'licbridge-capped';
/** Longest wait between two attempts of a deliver job unless the target sets `maxBackoffMs`, ms. */
export const MAX_BACKOFF_MS = 30_000;

/**
 * Exponential backoff with jitter, capped: uncapped, the tenth retry of a 1 s backoff would wait
 * more than eight minutes while the platform is long back. Half the delay is random, so jobs
 * failed by one outage do not come back as one wave.
 */
export function cappedBackoff(attemptsMade: number, baseMs: number, maxMs = MAX_BACKOFF_MS): number {
  const full = Math.min(maxMs, baseMs * 2 ** Math.max(0, attemptsMade - 1));
  return Math.round(full / 2 + Math.random() * (full / 2));
}

/** Checks before a job waiting for a predecessor gives up and counts a failed attempt. */
export const MAX_DEFERRALS = 200;

/** 250 ms doubling to at most 15 s, with jitter so waiting jobs do not wake together. */
export function deferDelay(deferrals: number): number {
  const base = Math.min(15_000, 250 * 2 ** Math.min(deferrals, 6));
  return Math.round(base * (0.75 + Math.random() * 0.5));
}

/**
 * The server's Retry-After, in ms, carried by adapter errors: a platform's (HTTP 429/503, SOAP
 * Server.Busy), or a signing server's wait longer than the remote signer waits itself.
 */
export function retryAfterOf(error: unknown): number | undefined {
  if (!isLicbridgeError(error)) return undefined;
  const ms = error.context.retryAfterMs;
  // Capped: a platform answering "retry in a day" should not park the queue that long unseen.
  return typeof ms === 'number' && ms > 0 ? Math.min(ms, 300_000) : undefined;
}

/** The longest Retry-After among failed outcomes, ms; undefined when none asked to wait. */
export function longestWait(outcomes: readonly { retryAfterMs?: number | undefined }[]): number | undefined {
  const waits = outcomes.flatMap((o) => (o.retryAfterMs === undefined ? [] : [o.retryAfterMs]));
  return waits.length > 0 ? Math.max(...waits) : undefined;
}

/**
 * Longest time in all a job waits out servers' Retry-After without spending attempts, ms: a
 * signing server's (sign jobs) or a platform's (deliver jobs). Past it, an answer asking to wait
 * spends an attempt, with the queue's backoff; a request held back by the wait spends none (a
 * deliver job taken while its process holds the platform's wait, or one whose requests all met
 * the wait after it was taken, sends nothing and is put back for the time left:
 * workers/deliver-worker.ts). So a server that never stops asking to wait fails the
 * job (a deliver job's last attempt dead-letters its open deliveries) instead of keeping it for ever.
 */
export const MAX_RETRY_AFTER_DEFERRAL_MS = 60 * 60_000;

/** What a job has waited out of Retry-After so far, and whether the wait asked now still fits. */
export interface RetryAfterDeferral {
  /** Waited in all once this wait is waited, ms; the job's data keeps it when `within`. */
  deferredMs: number;
  /** Whether the job waits without spending an attempt (false: past MAX_RETRY_AFTER_DEFERRAL_MS). */
  within: boolean;
}

/** A Retry-After of `waitMs` asked of a job that has waited `deferredMs` without spending attempts. */
export function retryAfterDeferral(deferredMs: number | undefined, waitMs: number): RetryAfterDeferral {
  const total = (deferredMs ?? 0) + waitMs;
  return { deferredMs: total, within: total <= MAX_RETRY_AFTER_DEFERRAL_MS };
}

/**
 * Marks every open delivery of the job dead with the error's message; returns how many it marked.
 * The message is kept as failureMessage makes any error safe to store (core/errors.ts):
 * the ledger keeps it and `licbridge dlq list` and `dlq show` print it, and a target's or a
 * driver's words may quote a holder's name, an ID number or a URL with its password.
 * Another job may be sending one (leased to it, so this job left it waiting, or taken over once
 * this job's lease ran out): its answer recorded after the read below wins (its `revision` moved,
 * which the write requires unchanged; a reopening or a replay moves it too), and one still on its
 * way is left to it (the write requires no live lease: a claim moves no `revision`, and a dead
 * letter written while the platform reviews the send would refuse its `submitted`). This job's own
 * leases were let go when its call ended, and count as another's here: one its send kept (the
 * ledger failed to let it go, or to write the platform's answer) keeps its row `pending` until it
 * runs out, for a sweep (pipelines/sweep.ts) to queue as any delivery nobody holds; that job sends
 * it again under the same key, which the platform answers with its first answer.
 */
/** Characters of a dead letter's reason kept (core/error-text.ts `bounded`). */
const DEAD_LETTER_REASON_LIMIT = 1000;

export async function deadLetterOpen(
  ledger: DeliveryLedger,
  versionIds: readonly number[],
  target: string,
  error: unknown,
): Promise<number> {
  const rows = await ledger.ensureDeliveries(versionIds, target);
  const open = rows.filter((r) => r.state === 'pending' || r.state === 'rejected');
  // Longer than a status line's 300 characters: the job's own words (what it waited for, how
  // long) come first and the platform's last answer, with its code, at the end.
  const reason = failureMessage(error, { bounded: DEAD_LETTER_REASON_LIMIT }).message;
  const written = await ledger.recordDeliveryOutcomes(
    open.map((r) => ({ key: r.key, state: 'dead', reasons: [reason], revision: r.revision, unleased: {} })),
  );
  return written.length;
}
