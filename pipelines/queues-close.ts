import type { QueueSet } from './queues.js';

/**
 * Closes `queues` within `ms`, else drops their connections. BullMQ's close sends QUIT and waits for
 * its answer: a Redis that accepted the connection and then stopped answering never gives one, and
 * the open connection kept a command that had printed everything from ever ending. A command that
 * only read from the queues loses nothing by dropping them.
 */
export async function closeQueuesWithin(queues: QueueSet, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<'late'>((resolve) => {
    timer = setTimeout(() => resolve('late'), ms);
  });
  const closing = queues.close().catch(() => undefined);
  const outcome = await Promise.race([closing, late]).finally(() => clearTimeout(timer));
  if (outcome !== 'late') return;
  const all = [queues.extract, queues.sign, queues.reconcile, queues.lifecycle, ...queues.deliver.values()];
  await Promise.all(all.map((q) => q.disconnect().catch(() => undefined)));
}
