/**
 * How many jobs a BullMQ worker is running: those whose processor has been called and has not
 * returned. BullMQ counts them in its lock manager (each job's lock is renewed while it runs, and
 * let go before its outcome is written to Redis), which it keeps past its types (protected
 * `lockManager`), as stop-hard.ts reaches it. A worker whose close waits with none running waits
 * on Redis (its connections' close, an outcome being written), not on jobs.
 */
import type { Worker } from 'bullmq';

/** What of BullMQ's lock manager is read here, past its access modifiers. */
interface LockCount {
  lockManager?: { getActiveJobCount(): number };
}

export function jobsRunning(worker: Worker): number {
  return (worker as unknown as LockCount).lockManager?.getActiveJobCount() ?? 0;
}
