/**
 * Cutting a delivery into platform requests of `batchSize` items (at least one) and what a failed
 * request means for the items around it. Shared by the targets that send batches over HTTP
 * (REST/JSON, SOAP/XML); the front database cuts its inserts its own way (front-db/insert-new-keys.ts).
 */
import { ErrorCodes, isLicbridgeError, LicbridgeError } from '../../../core/errors.js';
import type { DeliveryOutcome, SubmittedDelivery } from '../target.js';
import { failureOf } from './failure-kind.js';

/** Where sending stopped: the items not yet answered and the error that stopped it. */
export interface StoppedAt<T> {
  unsent: readonly T[];
  error: LicbridgeError;
  /**
   * How many of `unsent`, from its first, went in the request that failed: it may have reached the
   * platform (a timeout after it stored them). None when the error says it never left (`unsent` in
   * its context: a wait held it back). The items after them were never sent.
   */
  reached: number;
}

/** What a request may hold besides its item count, and what becomes of an item too large alone. */
export interface BatchCut<T> {
  /**
   * Largest sum of `bytesOf` a request holds: a request is cut before the item that would pass it
   * (always one item at least, so an item larger than this goes alone).
   */
  maxBytes: number;
  /** The bytes an item adds to the request body. */
  bytesOf: (item: T) => number;
  /**
   * An item refused as too large on its own (HTTP 413), or whose body cannot be built: the caller
   * records it as that item's own failure, and the other items are sent on. `fits` says it is
   * within `maxBytes` and its body was built: the platform or its proxy refused a size it was said
   * to take, which a raised limit mends without touching the license, so its failure is retryable
   * (an attempt spent). One past `maxBytes`, or unbuildable, is not: a dead letter of its own.
   */
  alone: (item: T, error: LicbridgeError, fits: boolean) => void;
}

/**
 * Sends `items` in order, `batchSize` at a time (and, with `cut`, no more than `cut.maxBytes` of
 * body); `send` records the answers of its chunk. A failure before any chunk was answered is the
 * whole call's and is thrown (the caller says so by throwing too). After one, the answered chunks
 * keep their receipts and sending stops: the result names the items left, for `failedBy`. An
 * error that is not licbridge's (a fault of the adapter's own) stops it, first request or later,
 * as a retryable failure named by `request`, an attempt of the items of the request it stopped:
 * `failedBy` read no `retryable` from it, and the items left were failed neither retryable nor not.
 *
 * A request refused as too large (HTTP 413, or a 413 answer `code` in a 200: a platform's item
 * limit, a proxy's body limit such as nginx's 1 MiB default, files in the batch; or a body too
 * large to build, `tooLarge` in the error's context) is sent again at half its size, down to one item, and the rest of the call goes
 * at that size. Sent again whole it was refused at every attempt until the job's open deliveries
 * were dead letters, none of them at fault. A 413 is a request the platform did not process, so
 * halving it sends no license twice. One item refused so on its own is `cut.alone`'s to record
 * (without `cut`, the call stops there as for any failure), and the rest of the call goes back to
 * the largest size that passed in it: the refusals were that item's. When none passed yet, the
 * size starts again at one and doubles with each request answered, up to `batchSize`, until a
 * request is refused again; a proxy refusing every request so costs one request a license besides
 * the halvings.
 */
export async function sendInBatches<T>(
  items: readonly T[],
  batchSize: number,
  send: (chunk: readonly T[]) => Promise<void>,
  cut?: BatchCut<T>,
  /** The target and its request, as a fault of no known kind stopping the call names them. */
  request?: BatchRequestName,
): Promise<StoppedAt<T> | undefined> {
  const largest = Math.max(1, batchSize);
  let size = largest;
  // The largest size a request was answered at in this call: its `size`, not its length, as one
  // that `cut` ended sooner passed at that size (the bytes it was cut at are the limit's own).
  let passed = 0;
  let growing = false;
  let sentOne = false;
  let start = 0;
  while (start < items.length) {
    const chunk = items.slice(start, start + size);
    if (cut) chunk.splice(countWithin(chunk, cut));
    try {
      await send(chunk);
      sentOne = true;
      start += chunk.length;
      passed = Math.max(passed, size);
      if (growing) size = Math.min(largest, size * 2);
    } catch (e) {
      if (refusedAsTooLarge(e)) {
        if (chunk.length > 1) {
          size = Math.ceil(chunk.length / 2);
          growing = false;
          continue;
        }
        if (cut) {
          // Answered for that item alone: a later failure leaves the items after it, not the call.
          const item = chunk[0] as T;
          cut.alone(item, e, e.context.tooLarge !== true && cut.bytesOf(item) <= cut.maxBytes);
          sentOne = true;
          start += 1;
          size = Math.max(1, passed);
          growing = passed === 0;
          continue;
        }
      }
      const error = asStopping(e, request);
      // The whole call's: thrown, named as a later request's failure is (the caller marks whose
      // licenses it carried). Thrown bare, a fault of the adapter's own named no target or request.
      if (!sentOne) throw error;
      return { unsent: items.slice(start), error, reached: neverSent(error) ? 0 : chunk.length };
    }
  }
  return undefined;
}

/** What a target's batch request is named by in its failures: `target province: batch upload to https://host:port`. */
export interface BatchRequestName {
  target: string;
  action: string;
  /** Where it goes: the platform's or service's origin. */
  to: string;
}

/**
 * A thrown error as the error of the items left: licbridge's as it is, any other retryable, naming
 * the target and its request. Its own text is only the cause (masked when logged): put in the
 * message, it became every item's stored reason (`batch request failed unexpectedly: <text>`),
 * naming no target, and such a text may quote a license's holder.
 */
function asStopping(e: unknown, request: BatchRequestName | undefined): LicbridgeError {
  if (isLicbridgeError(e)) return e;
  const named = request ? `target ${request.target}: ${request.action} to ${request.to}` : 'batch request';
  return new LicbridgeError(ErrorCodes.INTERNAL, `${named} failed unexpectedly`, {
    retryable: true,
    ...(request ? { context: { target: request.target } } : {}),
    cause: e,
  });
}

/** How many of `chunk`, from its first, fit `cut.maxBytes` together: one at least. */
function countWithin<T>(chunk: readonly T[], cut: BatchCut<T>): number {
  let bytes = 0;
  for (const [i, item] of chunk.entries()) {
    bytes += cut.bytesOf(item);
    if (bytes > cut.maxBytes) return Math.max(1, i);
  }
  return chunk.length;
}

/**
 * An HTTP 413 (shared/http-failure.ts `errorFromStatus` keeps the status in the context), a 200
 * whose answer `code` is 413 (`errorFromAnswer` keeps it as `platformCode`: a gateway answering
 * every request 200 writes the status there, as it does 503 or 401), or a request body the adapter
 * could not build (`tooLarge`). Such a code read as any other refusal was retried whole, refused
 * at every attempt until the job's deliveries were dead letters.
 */
function refusedAsTooLarge(e: unknown): e is LicbridgeError {
  return (
    isLicbridgeError(e) &&
    (e.context.status === 413 || e.context.platformCode === 413 || e.context.tooLarge === true)
  );
}

/**
 * The outcome of an item left unanswered when a request failed: retryable as the error says, of
 * the kind its fields say (./failure-kind.ts), with the platform's Retry-After when it gave one
 * (the deliver worker then puts its job back for that long). `sent` false, or an error saying its
 * request never left (a wait held it back), makes it `unsent`: no attempt of its license.
 */
export function failedBy(key: string, error: LicbridgeError, sent = true): DeliveryOutcome {
  return {
    key,
    state: 'failed',
    retryable: error.retryable,
    reasons: [error.message],
    ...failureOf(error),
    ...waitOf(error),
    ...(sent && !neverSent(error) ? {} : { unsent: true as const }),
  };
}

/** An error of a request that never left this host (shared/send-pause.ts `hold`). */
export function neverSent(error: unknown): boolean {
  return isLicbridgeError(error) && error.context.unsent === true;
}

/** By error: the delivery keys of the requests it failed (see `failedRequest`). */
const requestKeys = new WeakMap<object, Set<string>>();

/**
 * `error`, which a target's `deliver` throws for the whole call as its first request failed,
 * marked with the keys that request carried: the items of the call after it never left this host,
 * and are no attempt of their licenses (pipelines/stages/deliver.ts). Counted, each got attempts
 * + 1 and a deliver-attempt audit entry saying it was tried. Kept beside the error, not in its
 * context, which logs and job data show. Added to, not replaced: one error object may fail the
 * first request of several calls (a token fetch they share), each of them reads its own keys.
 */
export function failedRequest<E>(error: E, keys: Iterable<string>): E {
  if (typeof error !== 'object' || error === null) return error;
  const held = requestKeys.get(error) ?? new Set<string>();
  for (const key of keys) held.add(key);
  requestKeys.set(error, held);
  return error;
}

/**
 * Of `items`, those whose request `error` failed: what may have reached the platform. All of them
 * when the target did not say (`failedRequest`); none when the error says nothing left this host.
 */
export function sentWith<T extends { key: string }>(error: unknown, items: readonly T[]): T[] {
  if (neverSent(error)) return [];
  const keys = typeof error === 'object' && error !== null ? requestKeys.get(error) : undefined;
  return keys === undefined ? [...items] : items.filter((i) => keys.has(i.key));
}

/** The Retry-After an adapter error carries (shared/http-failure.ts), as an outcome's field. */
function waitOf(error: unknown): { retryAfterMs?: number } {
  const ms = isLicbridgeError(error) ? error.context.retryAfterMs : undefined;
  return typeof ms === 'number' && ms > 0 ? { retryAfterMs: ms } : {};
}

/**
 * Asks for the final state of submitted deliveries, `batchSize` keys a request; `ask` answers one
 * outcome per key, in order. One failed request leaves its keys unverified; the others still count.
 * A request refused as too large is asked again in halves, as `sendInBatches` sends one.
 * Refused credentials (401, 403, `Client.Authentication` after the one renewal) are thrown as they
 * are, final at once as for a batch upload: no later status request passes with them, and read as
 * one failed request they were retried until the job's attempts were spent. The deliveries asked
 * about keep the state they had (a `submitted` one stays so); the answers of earlier requests are
 * asked for again next time (a status request only reads).
 */
export async function pollInBatches(
  submitted: readonly SubmittedDelivery[],
  batchSize: number,
  ask: (keys: string[]) => Promise<DeliveryOutcome[]>,
  /** The target and its status request, as a fault of no known kind failing one names them. */
  request?: BatchRequestName,
): Promise<DeliveryOutcome[]> {
  const out: DeliveryOutcome[] = [];
  let size = Math.max(1, batchSize);
  for (let start = 0; start < submitted.length; ) {
    const keys = submitted.slice(start, start + size).map((s) => s.key);
    start += keys.length;
    try {
      out.push(...(await ask(keys)));
    } catch (e) {
      if (isLicbridgeError(e) && e.code === ErrorCodes.TARGET_AUTH && !e.retryable) throw e;
      // Refused as too large (a service's message limit under batchSize keys): asked again at half
      // the size, for the rest too. Left unverified, every check asked the same refused request,
      // and the deliveries stayed `submitted` for good.
      if (refusedAsTooLarge(e) && keys.length > 1) {
        start -= keys.length;
        size = Math.ceil(keys.length / 2);
        continue;
      }
      // A fault of no known kind (reading the answer) named as a send's is: its own text as the
      // reason named no target or request, and may quote a license's holder.
      let reason = e instanceof Error ? e.message : String(e);
      if (request) reason = asStopping(e, request).message;
      // The kind by the error's fields (a front database's driver failure: the kind its driver's
      // codes say, front-db/driver-failure.ts); none set leaves the stage to read its words.
      const failure = failureOf(e);
      for (const key of keys)
        out.push({
          key,
          state: 'failed',
          retryable: true,
          unverified: true,
          reasons: [reason],
          ...failure,
          ...waitOf(e),
          // Held back by a wait the platform asked for (one of this call's requests answered 429,
          // the rest held): never sent, no failed check of its deliveries.
          ...(neverSent(e) ? { unsent: true as const } : {}),
        });
    }
  }
  return out;
}
