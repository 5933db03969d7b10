/** The sign stage's worker: a job's versions signed, then queued for every target of the pipeline. */
import type { Worker } from 'bullmq';
import { sealIdOf } from '../../config/seal-id.js';
import { bullmq } from '../bullmq.js';
import { enqueueDeliver } from '../jobs.js';
import { SIGN_QUEUE, type SignJobData } from '../queues.js';
import type { Runtime } from '../runtime.js';
import { signVersions } from '../stages/sign.js';
import { classify, type StageContext, storedFailures } from './base.js';
import { completeOpenRuns } from './complete-runs.js';

export function signWorker(
  rt: Runtime,
  { base, queues }: StageContext,
  concurrency: number,
): Worker<SignJobData> {
  return new bullmq.Worker<SignJobData>(
    SIGN_QUEUE,
    storedFailures(async (job) => {
      const { pipeline, runId, versionIds } = job.data;
      try {
        const [parts, ledger] = await Promise.all([rt.pipeline(pipeline), rt.ledger()]);
        const sealId = sealIdOf(rt.config, parts.config);
        const { signedIds, newlySigned } = await signVersions(parts.signer, sealId, ledger, versionIds);
        if (parts.config.targets.length === 0) {
          await ledger.completeRun(runId, sealId, []);
          // Versions an earlier run left unsigned may be signed here under this run's id.
          await completeOpenRuns(ledger, { pipeline, except: runId }, sealId, []);
        }
        for (const target of parts.config.targets) {
          await enqueueDeliver(rt.config, queues, target, { pipeline, runId, versionIds: signedIds });
        }
        return { newlySigned };
      } catch (error) {
        return classify(error);
      }
    }),
    { ...base, concurrency },
  );
}
