/**
 * The extract stage's worker: one run's extraction, each committed page's versions queued for
 * signing, then what a crash left unsigned, then the run marked extracted.
 */
import type { Queue, Worker } from 'bullmq';
import { sealIdOf } from '../../config/seal-id.js';
import { isLicbridgeError } from '../../core/errors.js';
import { ExtractOvertaken } from '../../ledger/commit-page-chain.js';
import type { Ledger, StoredRun } from '../../ledger/ledger.js';
import { bullmq } from '../bullmq.js';
import { enqueueSign, JOB_BATCH } from '../jobs.js';
import {
  busyMessage,
  keepPipeline,
  PipelineBusy,
  releasePipelines,
  takePipeline,
} from '../pipeline-lease.js';
import { EXTRACT_QUEUE, type ExtractJobData } from '../queues.js';
import {
  closeOrphanedRuns,
  extractJobRunId,
  REPAIR_RUN,
  repairGoneReason,
  runOwnerAlive,
  SCHEDULED,
} from '../run-liveness.js';
import type { Runtime } from '../runtime.js';
import { ExtractRunEnded, extractPipeline } from '../stages/extract.js';
import { heldVersionIds, recoverUnqueuedDeliveries } from '../sweep.js';
import { classify, isFinalAttempt, type StageContext, storedFailures, storedReason } from './base.js';
import { completeOpenRuns } from './complete-runs.js';
import { holdsJob } from './holds-job.js';
import { skipScheduled } from './skip-scheduled.js';

export function extractWorker(rt: Runtime, { base, queues }: StageContext): Worker<ExtractJobData> {
  const log = rt.logger;
  return new bullmq.Worker<ExtractJobData>(
    EXTRACT_QUEUE,
    storedFailures(async (job, token) => {
      const { pipeline, full } = job.data;
      // Scheduled jobs (pipelines/schedules.ts) carry no run id: each tick opens its own run.
      const runId = extractJobRunId(job);
      const jobLog = log.child({ pipeline, runId, jobId: job.id });
      // A scheduler's job, or a copy of one queued again after it stalled out (carrying its run id).
      const scheduled = runId.startsWith(SCHEDULED);
      let stopRenewing: (() => void) | undefined;
      let releaseAfter = false;
      /** Every page of the run is committed: the extraction is over, marked so or not. */
      let pagesIn = false;
      try {
        const [parts, ledger] = await Promise.all([rt.pipeline(pipeline), rt.ledger()]);
        // One run of a pipeline at a time (pipelines/pipeline-lease.ts): `licbridge run` took the
        // pipeline for its run before queueing this job, and lets it go when its process ends; a
        // scheduled run (or a repair's re-read) takes it here, and holds it while it reads. Held by
        // another run, a scheduled firing is skipped, and recorded; a run whose process is gone ends
        // `abandoned` (endLeftover); any other run fails, saying why.
        const before = await ledger.pipelineLeases.holderOf(pipeline);
        const held = await takePipeline(ledger, pipeline, runId);
        if (held) {
          // A copy of an ended run's job (left in Redis, or a scheduled job's copy queued again
          // after it stalled out) has nothing to say of it: not a firing skipped, nor a run refused.
          const run = await ledger.getRun(runId);
          if (run !== null && run.state !== 'running')
            return { read: 0, created: 0, unchanged: 0, quarantined: 0, pages: 0 };
          if (!scheduled) {
            if (!run || !(await endLeftover(ledger, run, held.runId))) throw new PipelineBusy(held);
            jobLog.warn(
              { heldBy: held.runId },
              'extract: the process of this run is gone and another run holds the pipeline; the run is abandoned',
            );
            return { read: 0, created: 0, unchanged: 0, quarantined: 0, pages: 0 };
          }
          await skipScheduled(ledger, pipeline, runId, held);
          jobLog.warn({ heldBy: held.runId }, `extract: ${busyMessage(held)}: scheduled firing skipped`);
          return { read: 0, created: 0, unchanged: 0, quarantined: 0, pages: 0 };
        }
        if (scheduled || before?.runId !== runId) {
          releaseAfter = true;
          stopRenewing = keepPipeline(
            ledger,
            { pipeline, runId },
            {
              lost: () => jobLog.warn('extract: another run took the pipeline over'),
              failed: (e) => jobLog.warn({ error: storedReason(e) }, 'extract: lease not renewed'),
            },
          );
        }
        await ledger.startRun({ runId, pipeline, mode: full ? 'full' : 'incremental' });
        // A copy of the job (a retry, a stalled-out copy, one left in Redis) may start after its run
        // ended: failed, abandoned to a later run, or done. Its pages would be committed and counted
        // under a run said to be over; the pipeline's next run reads them from the checkpoint. A
        // scheduled job opens its run just above, so a new tick's run is `running` here.
        const state = (await ledger.getRun(runId))?.state;
        if (state && state !== 'running') {
          jobLog.info({ state }, 'extract: the run has ended; nothing read');
          return { read: 0, created: 0, unchanged: 0, quarantined: 0, pages: 0 };
        }
        const sealId = sealIdOf(rt.config, parts.config);
        // No `licbridge run` recovers for a scheduled run: what no job holds any more is queued here.
        // A firing's copy queued again after it stalled out carries its run's id, and recovers too
        // under a name of its own (the firing's recovery jobs keep theirs).
        if (scheduled) {
          // Earlier runs of the pipeline whose extract job is gone: this run's extraction, from
          // the checkpoint, is theirs too.
          const closed = await closeOrphanedRuns(ledger, queues.extract as Queue, {
            pipeline,
            takenOverBy: () => runId,
          });
          if (closed.length > 0)
            jobLog.warn(
              { runs: closed.map((r) => r.runId) },
              'extract: runs whose extract job was gone closed',
            );
          // (A firing's job id, `repeat:<scheduler>:<ms>`, holds BullMQ's most colons already.)
          const tag = job.data.runId ? `${job.id}-recover` : `${runId}-recover`;
          const added = await recoverUnqueuedDeliveries(rt, queues, pipeline, runId, tag);
          if (added > 0) jobLog.warn({ jobs: added }, 'extract: queued deliveries no job held');
        }
        // An attempt after the extraction was over (its completion check below failed, say) does
        // not read again: the deliver workers may have marked the run done meanwhile, and pages
        // read now would add versions to a run said to be complete (a full run's every row again
        // to its counts). What came into the source since is the next run's.
        const extracted = Boolean((await ledger.getRun(runId))?.extractedAt);
        if (extracted) jobLog.info('extract: the run was extracted by an earlier attempt; finishing it');
        const totals = extracted
          ? { read: 0, created: 0, unchanged: 0, quarantined: 0, pages: 0 }
          : await extractPipeline(parts, ledger, {
              runId,
              full,
              logger: jobLog,
              onPage: async (created) => {
                await enqueueSign(queues, { pipeline, runId, versionIds: created.map((c) => c.versionId) });
              },
              onProgress: (p) => job.updateProgress(p),
            });
        pagesIn = true;
        // Said as soon as the last page is in: what follows (queueing, the completion check) failing
        // for good leaves a run whose licenses are all in the ledger, not a failed one (see below).
        // Extraction is one stage: the run is `done` once its versions are signed and delivered.
        await ledger.markExtracted(runId);
        // A crash between a page's commit and its enqueue leaves versions unsigned; sweep them up.
        // Only those no sign job holds: its pages' jobs, cut otherwise, and one waiting out a
        // signing server's Retry-After each got a second job beside them (signing twice when both
        // ran at once; asking a server in maintenance again at once).
        const unsigned = await ledger.unsignedVersionIds({ sealId, pipeline, limit: 1_000_000 });
        const signQueued = await heldVersionIds(queues.sign as Queue, pipeline, unsigned);
        const versionIds = unsigned.filter((id) => !signQueued.has(id));
        // Named by this take of the job, not by the run as its pages' jobs are: a page's job that
        // failed for good holds its versions no more, and BullMQ ignores an add under the id of a
        // job it keeps, so the same versions in one batch under the run's id were never queued.
        const tag = `${job.id}-swept-${job.attemptsStarted}`;
        await enqueueSign(queues, { pipeline, runId, versionIds }, { chunk: JOB_BATCH, tag });
        await ledger.completeRun(runId, sealId, parts.config.targets);
        // An earlier run whose job failed after its extraction (see below) stays `running` until a
        // check finds its work complete; with nothing of it left to sign or deliver, no deliver
        // job makes that check, so each run's extraction makes it for the pipeline's other runs.
        await completeOpenRuns(ledger, { pipeline, except: runId }, sealId, parts.config.targets).catch(
          (e: unknown) => jobLog.warn({ error: storedReason(e) }, 'extract: could not check earlier runs'),
        );
        jobLog.info({ ...totals }, 'extract: done');
        return totals;
      } catch (error) {
        // The run ended between two pages (see above): the pages before are its own; the job ends.
        if (error instanceof ExtractRunEnded) {
          jobLog.info({ state: error.state }, 'extract: the run has ended; read no further');
          return error.totals;
        }
        // Another copy of this job (a stalled job BullMQ handed on while this copy still ran) has
        // committed a page of the run since this one read its own (ledger/commit-page-chain.ts).
        // Neither a failure of the run nor its end: the job waits a lock's length and looks again,
        // taking no attempt. It then finds the run extracted and finishes it, or reads on from the
        // checkpoint the other copy left (one that died meanwhile). Delayed, the job still holds
        // the run: a scheduled run is not closed as orphaned.
        if (error instanceof ExtractOvertaken) {
          // Delayed, the job keeps the pipeline: its lease, unrenewed, runs out unless it is back first.
          releaseAfter = false;
          jobLog.warn('extract: another copy of this job committed a page of the run since; waiting');
          try {
            await job.moveToDelayed(Date.now() + base.lockDuration, token);
          } catch (e) {
            // The copy whose lock ran out: the job is no longer its own.
            jobLog.warn({ error: storedReason(e) }, 'extract: this copy no longer holds its job; it stops');
            return { read: 0, created: 0, unchanged: 0, quarantined: 0, pages: 0 };
          }
          throw new bullmq.DelayedError();
        }
        if (isFinalAttempt(job) || (isLicbridgeError(error) && !error.retryable)) {
          // A copy whose lock ran out (its worker starved) while BullMQ gave the job to another copy,
          // which still reads the run: BullMQ refuses this copy's failure, and the run is not its to
          // end. The copy holding the job ends it; held by none, the job's failure is not recorded
          // either, and the stalled check puts it back or stalls it out (./stalled-extract.ts),
          // which settles the run. Redis answering with an error says neither: this copy most
          // likely still holds the job, BullMQ fails it for good, and the run fails as below.
          if ((await holdsJob(job, token, base.lockDuration)) === 'lost') {
            jobLog.warn(
              { error: storedReason(error) },
              'extract: this copy no longer holds its job; the run is left to the copy that does',
            );
            return classify(error);
          }
          const ledger = await rt.ledger();
          // Failed between its last page and marking the run extracted (the mark itself failing):
          // the pages are all in, each queued for signing. Marked now, the run ends as one failed
          // after its extraction (below); ended `failed`, it stayed so after they were delivered.
          const given = pagesIn ? await ledger.getRun(runId) : null;
          if (given?.state === 'running' && !given.extractedAt) {
            const marked = await ledger.markExtracted(runId).then(
              () => true,
              () => false,
            );
            if (!marked) {
              const ended = await ledger.finishRun(runId, {
                state: 'abandoned',
                error: `${EXTRACTED_UNMARKED}: ${storedReason(error)}; its versions go on to be signed and delivered, and a later run finishes the work`,
              });
              if (ended.applied) return classify(error);
            }
          }
          // Failed after the extraction was over (queueing its versions, the completion check): its
          // licenses are all in the ledger and go on to be signed and delivered — by the jobs
          // queued, or those the pipeline's next run or a sweep queues for what no job holds — and
          // the run is marked `done` when they are. Failed, it would stay failed for good.
          if ((await ledger.getRun(runId))?.extractedAt) {
            jobLog.warn(
              { error: storedReason(error) },
              'extract: failed after the run was extracted; the run stays running until its versions are signed and delivered',
            );
            return classify(error);
          }
          // `status` and the run summary print it: masked and scrubbed as what Redis keeps.
          const finished = await ledger.finishRun(runId, { state: 'failed', error: storedReason(error) });
          // A run already ended keeps its outcome: one marked done has all its work, whatever
          // failed after (the job fails all the same, and says why in the queue).
          if (!finished.applied)
            jobLog.warn(
              { state: finished.state },
              'extract: failed after its run had ended; the run is left as it is',
            );
        }
        return classify(error);
      } finally {
        stopRenewing?.();
        // The lease is the run's, and every copy of the job works that one run: a copy whose lock
        // ran out (its worker starved) while another copy took the job and still reads would, by
        // letting it go, leave that copy reading with no lease beside a third extraction. The
        // copy holding the job lets it go; a lease no copy lets go runs out unrenewed. Redis unable
        // to say who holds the job, it is kept: letting go under another copy is the worse mistake.
        if (releaseAfter && (await holdsJob(job, token, base.lockDuration)) === 'held')
          await releasePipelines(await rt.ledger().catch(() => undefined), [{ pipeline, runId }]);
      }
    }, base.maxStalledCount),
    { ...base, concurrency: 1 },
  );
}

/**
 * How the reason begins of a run its own extract job ended `abandoned` as it gave up, its pages all
 * in but the run's extracted mark refused. `licbridge run` tells it from a run another process ended.
 */
export const EXTRACTED_UNMARKED =
  'its extraction was complete; then its extract job failed before marking it so';

/** Whether a run's stored reason says its own extract job ended it, as above. */
export function endedByOwnExtractJob(reason: string | null | undefined): boolean {
  return reason?.startsWith(`${EXTRACTED_UNMARKED}:`) === true;
}

/**
 * Ends `abandoned` a run whose extract job found another run holding the pipeline, when the
 * process driving the run is gone: a killed `licbridge run`'s job still waiting its retry, which
 * the next run's workers take while they empty the queues (that run holds the pipeline until its
 * work is over). Nothing of the run is lost: its extraction goes on from the checkpoint, under
 * the run holding the pipeline or the pipeline's next. Ended `failed`, `status` named it a run for
 * a person to fix. A run whose process lives (it reports the refusal), or without one, is failed
 * by the caller; one whose extraction was over stays `running` until its versions are delivered.
 * Whether the run has ended, here or (its first outcome standing) by another meanwhile.
 */
async function endLeftover(ledger: Ledger, run: StoredRun, holder: string): Promise<boolean> {
  if (run.extractedAt || runOwnerAlive(run)) return false;
  await ledger.finishRun(run.runId, {
    state: 'abandoned',
    error: run.runId.startsWith(REPAIR_RUN)
      ? repairGoneReason(holder)
      : `the process running it stopped before its extraction was over, and its extract job, taken up while run ${holder} holds the pipeline, read nothing; the extraction goes on from the checkpoint under run ${holder} or the pipeline's next run`,
  });
  return true;
}
