/**
 * A deliver queue for one call, when the process's queue set lacks the target's. The sign and
 * extract queues are shared by every pipeline, but `licbridge run`, `lifecycle run` and a repair
 * open deliver queues for their own pipelines' targets only: a job of another pipeline they take
 * (a `licbridge worker`'s scheduled run, another `run`) must still reach each of its targets.
 */
import type { Queue } from 'bullmq';
import { STOP_PART_MS } from '../core/within.js';
import { type DeliverJobData, openDeliverQueue, type QueueSet } from './queues.js';
import { closeQueueWithin } from './queues-close.js';

export interface CallDeliverQueue {
  /** `queues`, its deliver queues being the target's alone when one was opened for the call. */
  set: QueueSet;
  queue: Queue<DeliverJobData>;
  /** Closes a queue opened for the call (nothing otherwise), bounded, dropping it once late. */
  close(): Promise<void>;
}

/**
 * The deliver queue of `target`: the set's own, or one opened with the connection and prefix of
 * the set's sign queue. Its close is bounded: a Redis that stopped answering its QUIT held the
 * job that opened it for good, its connection open.
 */
export function callDeliverQueue(queues: QueueSet, target: string): CallDeliverQueue {
  const own = queues.deliver.get(target);
  if (own) return { set: queues, queue: own, close: async () => undefined };
  const { connection, prefix } = queues.sign.opts;
  const queue = openDeliverQueue(connection, prefix, target);
  // Redis away: what the caller does with it fails, and the caller with it; no second report here.
  queue.on('error', () => undefined);
  return {
    set: { ...queues, deliver: new Map([[target, queue]]) },
    queue,
    close: () => closeQueueWithin(queue as Queue, STOP_PART_MS),
  };
}
