import type { Queue } from 'bullmq';
import { within } from '../core/within.js';
import { type QueueSet, queuesOf } from './queues.js';

/**
 * Closes `queues` within `ms`, else drops their connections. BullMQ's close sends QUIT and waits for
 * its answer: a Redis that accepted the connection and then stopped answering never gives one, and
 * the open connection kept a command that had printed everything from ever ending. A command that
 * only read from the queues loses nothing by dropping them; nor does one that stops, its jobs
 * added (or refused) before it closes. Left open, such connections also outlived the command in a
 * process that goes on (the dashboard's), where ioredis reconnected them for good.
 */
export async function closeQueuesWithin(queues: QueueSet, ms: number): Promise<void> {
  await closeEachWithin(queues.close(), queuesOf(queues), ms);
}

/** Closes one queue as `closeQueuesWithin` closes a set. */
export async function closeQueueWithin(queue: Queue, ms: number): Promise<void> {
  await closeEachWithin(queue.close(), [queue], ms);
}

async function closeEachWithin(closing: Promise<void>, all: readonly Queue[], ms: number): Promise<void> {
  if (await within(closing, ms)) return;
  // Dropped, bounded as well: BullMQ's disconnect first awaits the queue's connection, which one
  // that never became ready does not give. Its socket is torn down as soon as it is reached.
  await within(Promise.all(all.map((q) => q.disconnect().catch(() => undefined))), ms);
}
