/**
 * A BullMQ worker stopped at once, whatever its own close is waiting on.
 *
 * BullMQ 6 (taskforcesh/bullmq#4656): `Worker.close()` first disconnects the worker's blocking
 * connection and waits for its `end` event, and ioredis never emits `end` for a client
 * disconnected while `reconnecting` (Redis away, a retry timer armed). That close never ends, and
 * `close(true)` on a worker already closing returns the same close. What it would release last
 * stays: the worker's main connection, which reconnects once Redis is back, and its lock-renewal
 * timer. After a Redis outage `licbridge run` stopped its workers "hard", wrote its summary, and
 * its process never ended.
 */
import type { Worker } from 'bullmq';

/** How long a forced close that was not under way yet may take before its parts are released, ms. */
export const FORCED_CLOSE_MS = 1000;

/** A worker's lock renewal (a timer every `lockDuration / 2`): BullMQ's protected `lockManager`. */
interface WithLockRenewal {
  lockManager?: { close(): Promise<void> };
}

/**
 * Closes `worker` without waiting for its jobs (their locks expire and other workers take them
 * over). A close already under way may be the one that never ends: the worker's lock renewal is
 * stopped and its connections dropped at once, and its close is left to end or not.
 */
export async function stopHard(worker: Worker, forcedCloseMs = FORCED_CLOSE_MS): Promise<void> {
  const underWay = worker.closing !== undefined;
  const closed = worker.close(true).then(
    () => true,
    () => true,
  );
  if (!underWay && (await settlesWithin(closed, forcedCloseMs))) return;
  await (worker as unknown as WithLockRenewal).lockManager?.close();
  // Not awaited: a connection dropped while reconnecting never says it ended (see above). Dropped,
  // it holds no socket and no retry timer.
  worker.disconnect().catch(() => undefined);
}

async function settlesWithin(p: Promise<boolean>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<false>((r) => {
    timer = setTimeout(() => r(false), ms);
  });
  try {
    return await Promise.race([p, late]);
  } finally {
    clearTimeout(timer);
  }
}
