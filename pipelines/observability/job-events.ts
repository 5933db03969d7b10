import type { Queue, QueueEvents } from 'bullmq';
import type { Logger } from '../../core/logger.js';
import { bullmq, redisBackend } from '../bullmq.js';
import type { RedisConnectionOptions } from '../redis.js';
import type { LicbridgeMetrics } from './metrics.js';

/**
 * Feeds the latency histograms from BullMQ's event stream instead of timing inside the workers:
 * `completed`/`failed` events carry only the job id, and the job's own `processedOn`,
 * `finishedOn` and `timestamp` give the times, whichever host ran it. A job already removed
 * (removeOnComplete) is skipped.
 */
export function watchJobEvents(
  queues: readonly Queue[],
  connection: RedisConnectionOptions,
  prefix: string,
  metrics: LicbridgeMetrics,
  log: Logger,
): { close(): Promise<void>; drop(): Promise<void> } {
  const all: QueueEvents[] = [];
  for (const queue of queues) {
    const events = new bullmq.QueueEvents(queue.name, { connection, prefix });
    const observe =
      (outcome: 'completed' | 'failed') =>
      async ({ jobId }: { jobId: string }) => {
        try {
          const job = await bullmq.Job.fromId(queue, jobId);
          if (!job?.finishedOn || !job.processedOn) return;
          metrics.observeJob(
            queue.name,
            outcome,
            (job.finishedOn - job.processedOn) / 1000,
            (job.finishedOn - job.timestamp) / 1000,
          );
        } catch (e) {
          log.debug(
            { queue: queue.name, jobId, err: { message: e instanceof Error ? e.message : String(e) } },
            'metrics: job not read',
          );
        }
      };
    events.on('completed', observe('completed'));
    events.on('failed', observe('failed'));
    events.on('error', (err) =>
      log.warn({ queue: queue.name, err: { message: err.message } }, 'metrics: queue events error'),
    );
    all.push(events);
  }
  return {
    async close() {
      await Promise.all(all.map((e) => e.close()));
    },
    /**
     * Drops each stream's connection at once. Not `QueueEvents.disconnect()`, nor its close, which
     * begins with one: it waits for the connection to have become ready, and one whose Redis
     * accepted it and never answered (frozen, partitioned) never does, so it stayed open for good.
     * The backend's forced close tears the socket down in any state, as a worker's hard stop does
     * (../workers/stop-hard.ts).
     */
    async drop() {
      await Promise.all(
        all.map((e) =>
          redisBackend(e)
            .close(true)
            .catch(() => undefined),
        ),
      );
    },
  };
}
