/**
 * The sign stage's worker: a job's versions signed, then queued for every target of the pipeline.
 * A version whose stored text is corrupt is left out, quarantined (./stored-text.ts); the rest of
 * the job is signed. A signing server asking to wait longer than the remote signer waits itself (maintenance: 503
 * with Retry-After: 120), or asking so on the signer's last attempt, defers the job that long
 * without spending an attempt: the queue's eight attempts, about a minute of backoff in all, would
 * be spent on refusals and the job failed for good.
 */
import type { Worker } from 'bullmq';
import { sealIdOf } from '../../config/seal-id.js';
import { isLicbridgeError, type LicbridgeError } from '../../core/errors.js';
import { bullmq } from '../bullmq.js';
import { MAX_RETRY_AFTER_DEFERRAL_MS, retryAfterDeferral, retryAfterOf } from '../delivery-policy.js';
import { SIGN_QUEUE, type SignJobData } from '../queues.js';
import type { Runtime } from '../runtime.js';
import { signVersions } from '../stages/sign.js';
import { classify, deferJob, type StageContext, storedFailures } from './base.js';
import { completeOpenRuns } from './complete-runs.js';
import { enqueueSignedDeliveries } from './deliver-enqueue.js';
import { quarantineCorruptTexts } from './stored-text.js';

/** The signing server's waits the remote signer made inside the failed request, ms (./http.ts). */
function waitedOf(error: LicbridgeError): number {
  const ms = error.context.waitedMs;
  return typeof ms === 'number' && ms > 0 ? ms : 0;
}

export function signWorker(
  rt: Runtime,
  { base, queues }: StageContext,
  concurrency: number,
): Worker<SignJobData> {
  // A job Redis loses while it runs is queued again, not dropped with its versions (./lost-jobs.ts).
  const lost = { queue: queues.sign, logger: rt.logger };
  const requeueLost = { lost };
  return new bullmq.Worker<SignJobData>(
    SIGN_QUEUE,
    storedFailures(async (job, token) => {
      const { pipeline, runId, versionIds } = job.data;
      try {
        // The signer only: not the pipeline's source, which may be down meanwhile (runtime.ts).
        const [parts, ledger] = await Promise.all([rt.signing(pipeline), rt.ledger()]);
        const sealId = sealIdOf(rt.config, parts.config);
        const unit = { code: parts.signerUnit, pipeline };
        const signing = await signVersions(parts.signer, sealId, ledger, versionIds, unit);
        const { signedIds, newlySigned, otherUnit, corrupt } = signing;
        // Left out of the batch, which goes on: quarantined, and their run told (./stored-text.ts).
        await quarantineCorruptTexts(ledger, rt.logger, {
          pipeline,
          runId,
          stage: 'sign',
          actor: `signer:${sealId}`,
          corrupt,
        });
        if (otherUnit.length > 0) {
          // License ids and codes only: never a holder's data.
          rt.logger.warn(
            {
              pipeline,
              runId,
              unit: parts.signerUnit,
              versions: otherUnit.length,
              first: otherUnit.slice(0, 5),
            },
            `sign: pipeline ${pipeline}: ${otherUnit.length} version(s) left unsigned and undelivered: written for another issuing unit than signer ${parts.config.signer}'s (${parts.signerUnit}); sign them with a signer of their own unit (licbridge sign backfill reports them)`,
          );
        }
        if (parts.config.targets.length === 0) {
          await ledger.completeRun(runId, sealId, []);
          // Versions an earlier run left unsigned may be signed here under this run's id.
          await completeOpenRuns(ledger, { pipeline, except: runId }, sealId, []);
        }
        // Every target of the pipeline, whatever queues this process opened (./deliver-enqueue.ts).
        for (const target of parts.config.targets) {
          await enqueueSignedDeliveries(rt.config, queues, target, {
            pipeline,
            runId,
            versionIds: signedIds,
          });
        }
        return { newlySigned };
      } catch (error) {
        const waitMs = isLicbridgeError(error) && error.retryable ? retryAfterOf(error) : undefined;
        if (waitMs === undefined) return classify(error);
        // Only this job waits: the sign queue is shared by every pipeline and signer, and another
        // pipeline's signing server may well answer.
        // What the signer waited at the server's word inside the request counts too: a server
        // answering every attempt with a Retry-After within the signer's cap (its last attempt's
        // deferring the job) kept a job `attempts` times the longest deferral, not counted.
        const waited = (job.data.deferredMs ?? 0) + waitedOf(error as LicbridgeError);
        const { deferredMs, within } = retryAfterDeferral(waited, waitMs);
        const signer = (error as LicbridgeError).context.signer;
        const log = rt.logger.child({ pipeline, runId, jobId: job.id });
        if (!within) {
          log.warn(
            {
              signer,
              waitMs,
              deferredMs: waited,
              maxDeferralMs: MAX_RETRY_AFTER_DEFERRAL_MS,
            },
            'sign: the signing server asks to wait (Retry-After) past the longest a sign job waits without spending attempts; this attempt is spent',
          );
          return classify(error);
        }
        log.warn(
          { signer, waitMs, deferredMs },
          'sign: the signing server asks to wait (Retry-After) longer than the signer waits, or on its last attempt; the job waits that long without spending an attempt',
        );
        return deferJob(job, token, { ...job.data, deferredMs }, waitMs, lost);
      }
    }, requeueLost),
    { ...base, concurrency },
  );
}
