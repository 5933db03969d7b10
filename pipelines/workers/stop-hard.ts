/**
 * A BullMQ worker stopped at once, whatever its own close is waiting on.
 *
 * BullMQ 6 (taskforcesh/bullmq#4656, a fix proposed in #4676): `Worker.close()` first disconnects
 * the worker's blocking connection and waits for its `end` event, and ioredis never emits `end`
 * for a client disconnected while `reconnecting` (Redis away, a retry timer armed). That close
 * never ends, and `close(true)` on a worker already closing returns the same close. What it would
 * release last stays: the worker's main connection, which reconnects once Redis is back, its
 * lock-renewal timer and its stalled check. After a Redis outage `licbridge run` stopped its
 * workers "hard", wrote its summary, and its process never ended.
 */
import type { Worker } from 'bullmq';
import { within } from '../../core/within.js';
import { redisBackend } from '../bullmq.js';

/** How long a forced close that was not under way yet may take before its parts are released, ms. */
export const FORCED_CLOSE_MS = 1000;

/** What BullMQ releases only at the end of its own close, reached past its access modifiers. */
interface WorkerParts {
  /** Lock renewal, a timer every `lockDuration / 4` (protected `lockManager`). */
  lockManager?: { close(): Promise<void> };
  /** Ends the stalled check's wait for its next turn (private `stalledCheckStopper`). */
  stalledCheckStopper?: () => void;
}

/**
 * Closes `worker` without waiting for its jobs (their locks expire and other workers take them
 * over). A close already under way may be the one that never ends: the worker's lock renewal and
 * stalled check are stopped and its connections dropped at once, and its close is left to end or
 * not. A job still running then ends without a word to Redis: its result is not written, and its
 * lock runs out.
 */
export async function stopHard(worker: Worker, forcedCloseMs = FORCED_CLOSE_MS): Promise<void> {
  const underWay = worker.closing !== undefined;
  // Called even when under way (it returns that close); its failure is handled here, never unheard.
  const closed = worker.close(true).catch(() => undefined);
  if (!underWay && (await within(closed, forcedCloseMs))) return;
  const parts = worker as unknown as WorkerParts;
  await parts.lockManager?.close();
  if (typeof parts.stalledCheckStopper === 'function') parts.stalledCheckStopper();
  // The backend's forced close, not `worker.disconnect()`: that waits for each connection to have
  // reached Redis once (never, for one away since the worker started) and then for its `end`, the
  // main connection's before the blocking one's. This one drops both at once, marks each ended
  // (a late command is refused, not queued) and marks the backend closing, so a job that ends
  // later writes nothing and the blocking read's watchdog does not reconnect it.
  const backend = redisBackend(worker);
  if (await within(backend.close(true), forcedCloseMs)) return;
  // The backend was closing already, its close begun by the worker's own (not forced): that close
  // is handed back, waiting for the answer to a QUIT that a Redis which stopped answering never
  // gives, its connections open. Each is dropped now: ioredis' disconnect tears the socket down
  // (or stops a reconnect); waiting for its `end` is bounded, as a reconnecting one never emits it.
  const drops = [backend.blockingConnection, backend.connection].map((c) => c?.disconnect(false));
  await within(Promise.all(drops), forcedCloseMs);
}
