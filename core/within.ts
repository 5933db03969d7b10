/**
 * Bounded waits for a process that stops: a close that waits on a server that stopped answering
 * (a ledger query or a Redis command in flight, BullMQ's close after a Redis outage) must not hold
 * the stop, nor the process, for good.
 */

/**
 * How long each part of a command's stop may take, ms: ending its runs, its workers (and as long
 * again to stop them hard), its queues, its leases, its connections — `licbridge run`'s, a
 * repair's and `dlq replay`'s alike (docs/operations.md, "Stopping a run").
 */
export const STOP_PART_MS = 5000;

/**
 * Whether `p` settles within `ms`: resolved or rejected alike, since a stop goes on either way and
 * the failure was logged where it arose; `undefined` has nothing to wait for. With `ms` undefined,
 * `p` is awaited whole. The timer is cleared either way, so it keeps no process alive.
 */
export async function within(p: Promise<unknown> | undefined, ms: number | undefined): Promise<boolean> {
  if (p === undefined) return true;
  const settled = p.then(
    () => true as const,
    () => true as const,
  );
  if (ms === undefined) return settled;
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<false>((r) => {
    timer = setTimeout(() => r(false), ms);
  });
  try {
    return await Promise.race([settled, late]);
  } finally {
    clearTimeout(timer);
  }
}
