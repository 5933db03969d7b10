/**
 * Deliver jobs for the dead letters a deliver call replayed once what they were held behind landed
 * (../held-replay.ts): queued as `licbridge dlq replay` queues its letters, under a replay's own id
 * (no run's: a failure of theirs fails none), oldest version first per license. Logged with license
 * ids only. Not queued (Redis failing), they are `pending` in the ledger, and a run's sweep or the
 * pipeline's next run queues them (../sweep.ts): the job goes on either way.
 */
import { randomUUID } from 'node:crypto';
import type { Config } from '../../config/types.js';
import { errorLine } from '../../core/errors.js';
import type { Logger } from '../../core/logger.js';
import type { ReplayedJob } from '../held-replay.js';
import { JOB_BATCH } from '../jobs.js';
import type { QueueSet } from '../queues.js';
import { enqueueSignedDeliveries } from './deliver-enqueue.js';

export async function queueHeldReplays(
  config: Readonly<Pick<Config, 'targets'>>,
  queues: QueueSet,
  target: string,
  replayed: readonly ReplayedJob[],
  log: Pick<Logger, 'info' | 'warn'>,
): Promise<void> {
  const runId = `replay-${randomUUID()}`;
  for (const { pipeline, versionIds, licenseIds } of replayed) {
    // The first five licenses named, all counted, as the other deliver lines (a job holds 500).
    const line = {
      target,
      replayedFor: pipeline,
      deliveries: versionIds.length,
      licenses: licenseIds.length,
      licenseIds: licenseIds.slice(0, 5),
    };
    try {
      for (let at = 0; at < versionIds.length; at += JOB_BATCH)
        await enqueueSignedDeliveries(config, queues, target, {
          pipeline,
          runId,
          versionIds: versionIds.slice(at, at + JOB_BATCH),
        });
      log.info(
        line,
        'deliver: dead letters held behind an earlier version that has landed since were replayed and queued',
      );
    } catch (e) {
      log.warn(
        { ...line, error: errorLine(e) },
        "deliver: dead letters held behind an earlier version that has landed since were replayed but could not be queued; they are pending, and a run's sweep or the pipeline's next run queues them",
      );
    }
  }
}
