/**
 * A target's deliver worker: a job's signed versions sent in order; the platform's Retry-After
 * waited out by the job answered so, put back without spending an attempt while the queue hands
 * out no new job (jobs already running hold their requests in this process:
 * adapters/platforms/shared/send-pause.ts); waits for an earlier version or a review deferred without
 * spending an attempt; and what cannot land kept in the ledger as a dead letter: a version whose
 * stored text is corrupt too, unsent and quarantined (./stored-text.ts), the rest sent.
 */
import type { Job, Worker } from 'bullmq';
import { neverSent } from '../../adapters/platforms/shared/batches.js';
import { errorFailureKind } from '../../adapters/platforms/shared/failure-kind.js';
import type { TargetAdapter } from '../../adapters/platforms/target.js';
import { sealIdOf } from '../../config/seal-id.js';
import { ErrorCodes, errorLine, isLicbridgeError, LicbridgeError } from '../../core/errors.js';
import type { DeadLetter } from '../../ledger/ledger.js';
import { bullmq } from '../bullmq.js';
import { deliverable } from '../dead-letters-taken.js';
import {
  cappedBackoff,
  DELIVER_BACKOFF,
  deferDelay,
  MAX_DEFERRALS,
  MAX_RETRY_AFTER_DEFERRAL_MS,
  retryAfterDeferral,
  retryAfterOf,
} from '../delivery-policy.js';
import { reopenedBy } from '../held-replay.js';
import { configuredTarget } from '../jobs.js';
import { type DeliverJobData, deliverQueueName } from '../queues.js';
import type { Runtime } from '../runtime.js';
import { deliverVersions } from '../stages/deliver.js';
import { configuredFileStore, versionsWithFile } from '../stages/deliver-files.js';
import { sendLeaseMs } from '../stages/delivery-lease.js';
import type { RunCompletion } from '../stages/run-completion.js';
import { classify, deferJob, isFinalAttempt, type StageContext, storedFailures } from './base.js';
import { completeRunsAfterJob } from './complete-runs.js';
import { endDeferrals, warnPollFailures } from './deliver-deferrals.js';
import { giveUpDeliveries } from './deliver-give-up.js';
import { queueHeldReplays } from './held-replay-jobs.js';
import { deliverSender } from './stalled-out.js';
import { quarantineCorruptTexts } from './stored-text.js';

/**
 * The failure of a job whose platform kept asking to wait past MAX_RETRY_AFTER_DEFERRAL_MS: what
 * its last attempt's dead letters say. Its own wait is left out, so it is no wait asked any more.
 */
function waitedTooLong(target: string, deferredMs: number, error: unknown): LicbridgeError {
  const minutes = Math.round(deferredMs / 60_000);
  const last = error instanceof Error ? error.message : String(error);
  return new LicbridgeError(
    ErrorCodes.TARGET_UNREACHABLE,
    `deliver: target ${target} asked to wait (Retry-After) again and again, ${minutes} min in all, past the longest a deliver job waits without spending attempts; the last answer: ${last}`,
    { retryable: true, context: { target }, cause: error },
  );
}

/**
 * The limiter of a target without `rateLimit`: no count of jobs ever reaches it, so it holds the
 * queue only while a Retry-After's `worker.rateLimit` does. That sets the queue's rate-limit key in
 * Redis, and BullMQ's moveToActive reads the key only for a worker with a limiter (its Lua
 * getRateLimitTTL is skipped when no `max` is given): without one, only the worker answered so
 * stopped, and every other worker process of the target (another `licbridge worker`, here or on
 * another host) went on taking deliver jobs and sending them into the wait the platform asked of
 * every caller. The key holds Number.MAX_SAFE_INTEGER for the wait, the `max` here; a job taken
 * counts one in it for `duration`.
 */
const RETRY_AFTER_ONLY = { max: Number.MAX_SAFE_INTEGER, duration: 1000 } as const;

export function deliverWorker(
  rt: Runtime,
  { base, queues }: StageContext,
  target: string,
  completion: RunCompletion,
): Worker<DeliverJobData> {
  const cfg = configuredTarget(rt.config, target);
  // A job Redis loses while it runs is queued again, not dropped with its deliveries (./lost-jobs.ts).
  const queue = queues.deliver.get(target);
  const lost = queue ? { queue, logger: rt.logger } : undefined;
  const requeueLost = { lost };
  // Where license files are read from, for a target that sends them (licenseFiles.store).
  const fileStore = configuredFileStore(rt.config);
  const worker: Worker<DeliverJobData> = new bullmq.Worker<DeliverJobData>(
    deliverQueueName(target),
    storedFailures(async (job, token) => {
      const { pipeline, versionIds } = job.data;
      // Outside the try: a target that cannot open is its config refused (CONFIG_INVALID, USAGE:
      // a front-db table without licbridge's columns, a `tls` setting), no delivery's fault. The
      // job fails for good at once, its run failed naming it, and the deliveries stay owed for the
      // next run once the config is corrected; in the try, each became a dead letter to replay.
      // The pipeline's config only: a delivery needs no source, signer, catalog or mapping, and
      // opening them (rt.pipeline) failed every deliver job while the legacy database was down,
      // or on a host that works only this stage.
      const pipelineConfig = rt.pipelineConfig(pipeline);
      const [ledger, adapter] = await Promise.all([rt.ledger(), rt.target(target)]);
      const sealId = sealIdOf(rt.config, pipelineConfig);
      const replayable = (d: DeadLetter) => deliverable(rt.config, d);
      // A wait the platform asked every caller for, held by this process: nothing can leave, so the
      // job goes back for the time left without spending an attempt. Past the hour below, the
      // stage's own look at the wait failed the job, an attempt spent though no request left: the
      // retry of an attempt spent on a Retry-After came back after its backoff (a second or two)
      // into the very wait it was answered, and spent the next, until one 5-minute wait had spent
      // them all with one request sent. Within the hour the stage's look puts it back and counts
      // the wait, as before.
      const paused = adapter.waitLeft?.();
      if (paused !== undefined && !retryAfterDeferral(job.data.deferredMs, paused).within) {
        await worker.rateLimit(paused);
        throw bullmq.Worker.RateLimitError();
      }
      let result: Awaited<ReturnType<typeof deliverVersions>>;
      const requests = watchedRequests(adapter);
      try {
        // The lease is sized on the requests this job counts (one per batchSize, and one more) and
        // renewed for the bytes of a send's license files; while a send runs it is renewed every
        // third of it, so a sender keeps it however many requests its adapter makes, unless it
        // stalls past two thirds of it or the ledger fails its renewals (stages/delivery-lease.ts).
        result = await deliverVersions(requests.target, sealId, ledger, versionIds, {
          leaseMs: sendLeaseMs(cfg, versionIds.length),
          sizing: cfg,
          // Its leases name this take: a job given up after it killed its worker every time
          // dead-letters what its takes left leased (./stalled-out.ts).
          owner: deliverSender(job.id ?? '', job.attemptsStarted),
          // The fault a target failed one license alone for (its outcome's cause), logged masked.
          logger: rt.logger.child({ pipeline, runId: job.data.runId, jobId: job.id }),
          // Held letters replayed only where `licbridge dlq replay` would (../held-replay.ts).
          replayable,
          ...(fileStore !== undefined ? { fileStore } : {}),
          // Dead-lettered unsent, their stored text corrupt: quarantined too (./stored-text.ts).
          onCorruptText: (corrupt) =>
            quarantineCorruptTexts(ledger, rt.logger, {
              pipeline,
              runId: job.data.runId,
              stage: 'deliver',
              actor: `target:${target}`,
              target,
              corrupt,
            }).then(
              () => undefined,
              // Their dead letters say why already: the send of the rest goes on.
              (e: unknown) =>
                rt.logger.warn(
                  { pipeline, runId: job.data.runId, target, versions: corrupt.length, error: errorLine(e) },
                  'deliver: versions dead-lettered for a corrupt stored text could not be quarantined; their dead letters name them',
                ),
            ),
        });
      } catch (caught) {
        let error = caught;
        // Letters the call replayed before it failed (../held-replay.ts `reopenedBy`): queued now.
        const reopened = reopenedBy(caught);
        if (reopened) await queueHeldReplays(rt.config, queues, target, reopened, jobLog(rt, job));
        // 429 or 503 with Retry-After, or a request held back by such a wait: the platform asks every
        // caller to wait. The job goes back without spending an attempt, and the queue hands out no
        // new job for that long (worker.rateLimit, to every worker of the queue on any host: each
        // has a limiter, RETRY_AFTER_ONLY where the target sets no rateLimit). Jobs already
        // running are not stopped: in this process their requests to the target are held back until
        // the wait ends (adapters/platforms/shared/send-pause.ts), each job then put back as this one;
        // on another host they learn of the wait from an answer of their own. For
        // an hour in all, as a sign job (delivery-policy.ts): a platform answering so for ever
        // kept the job for ever. Past it, an answer asking to wait is spent as an attempt, as any
        // failure; the retry, back after its backoff within that wait, is held back by it without
        // spending one (above). On the last attempt too: waiting spends none, and a platform that
        // only asked for a pause had the job's deliveries dead-lettered at once.
        const retryAfterMs = retryAfterOf(error);
        if (retryAfterMs !== undefined) {
          const { deferredMs, within } = retryAfterDeferral(job.data.deferredMs, retryAfterMs);
          if (within) {
            await job.updateData({ ...job.data, deferredMs });
            await worker.rateLimit(retryAfterMs);
            throw bullmq.Worker.RateLimitError();
          }
          // Past the hour, a call none of whose requests left (each held back by the wait, begun
          // by another job's answer after this one was taken) was answered nothing: put back as a
          // job taken during the wait, no attempt spent. Before, it spent one on the wait alone.
          if (!requests.left()) {
            await worker.rateLimit(adapter.waitLeft?.() ?? retryAfterMs);
            throw bullmq.Worker.RateLimitError();
          }
          rt.logger.child({ pipeline, runId: job.data.runId, jobId: job.id }).warn(
            {
              target,
              waitMs: retryAfterMs,
              deferredMs: job.data.deferredMs ?? 0,
              maxDeferralMs: MAX_RETRY_AFTER_DEFERRAL_MS,
            },
            'deliver: the platform asks to wait (Retry-After) past the longest a deliver job waits without spending attempts; this attempt is spent',
          );
          error = waitedTooLong(target, job.data.deferredMs ?? 0, error);
        }
        const permanent = isLicbridgeError(error) && !error.retryable;
        if (permanent || isFinalAttempt(job)) {
          // The ledger is the dead-letter list of record: what could not land is kept with its reason.
          // A send whose answer was lost may have landed: what the platform holds is recorded as
          // it holds it, not dead-lettered (stages/deliver-lost-answers.ts). Not when it asked
          // every caller to wait (Retry-After): the dead letters say so, and a replay asks first.
          const log = jobLog(rt, job);
          const given = await giveUpDeliveries(
            ledger,
            adapter,
            { target, sealId, versionIds, error },
            {
              askLost: retryAfterMs === undefined,
              reopened,
              replayable,
              log,
            },
          );
          if (given.replayed) await queueHeldReplays(rt.config, queues, target, given.replayed, log);
          const { accepted, submitted, dead } = given;
          // Checked as after any job: a platform refusing a whole backlog dead-letters job after
          // job, and counting every open run after each would cost O(backlog) a job.
          await completeRunsAfterJob(completion, ledger, job.data, sealId, pipelineConfig.targets);
          return { accepted, dead, skipped: 0, waiting: 0, submitted };
        }
        return classify(error);
      }
      if (result.reopened)
        await queueHeldReplays(rt.config, queues, target, result.reopened, jobLog(rt, job));
      if (result.unsigned && !job.data.deferrals) {
        // Once a job (its first check): each deferral would repeat it. Keys are references only.
        rt.logger
          .child({ pipeline, runId: job.data.runId, jobId: job.id })
          .warn(
            { target, sealId, deliveries: result.unsigned.length, first: result.unsigned.slice(0, 5) },
            `deliver: ${result.unsigned.length} delivery(ies) to ${target} not sent: their version lacks a signature by seal ${sealId}, pipeline ${pipeline}'s seal now (its signer or sealId changed after they were signed); they stay pending, and the sign stage signs them with ${sealId} and queues them again at a sweep or the pipeline's next run`,
          );
      }
      if (result.waiting > 0 || result.submitted > 0) {
        // An earlier version still on its way, or a platform review pending: look again later
        // without spending an attempt. The count bounds the wait for a predecessor that never comes.
        const deferrals = job.data.deferrals ?? 0;
        // The last failed status request's reason travels with the job, in Redis, made safe by the
        // stage as any error's text (stages/deliver-reasons.ts, scrubPlatformReason): it is what the
        // job names when it stops waiting, and says the warning was logged.
        const lastPollReason = result.pollFailed?.reason ?? job.data.lastPollReason;
        warnPollFailures(
          rt.logger.child({ pipeline, runId: job.data.runId, jobId: job.id }),
          target,
          result,
          job.data.lastPollReason !== undefined,
        );
        const data = { ...job.data, ...(lastPollReason === undefined ? {} : { lastPollReason }) };
        if (deferrals >= MAX_DEFERRALS) {
          if (lastPollReason !== job.data.lastPollReason) await job.updateData(data);
          const end = await endDeferrals(ledger, target, result, {
            deferrals,
            lastPollReason,
            final: isFinalAttempt(job),
            versionIds,
            replayable,
            // A held delivery's dead letter names its missing license file only where one is awaited.
            filesOf:
              adapter.licenseFiles?.whenMissing === 'wait'
                ? (ids) => versionsWithFile(ledger, ids)
                : undefined,
          });
          if (end.reopened) await queueHeldReplays(rt.config, queues, target, end.reopened, jobLog(rt, job));
          if (end.error) return classify(end.error);
          if (end.left !== undefined)
            rt.logger
              .child({ pipeline, runId: job.data.runId, jobId: job.id })
              .warn(
                { target, deliveries: end.left, deferrals },
                "deliver: deliveries still wait after the job's last attempt: under review at the platform, sent by another job, or free to go since their earlier version landed; they stay as they are, and the pipeline's next run queues those no job holds again",
              );
          await completeRunsAfterJob(completion, ledger, job.data, sealId, pipelineConfig.targets);
          // Only the rows this job wrote: those another job's check decided are that job's count.
          const held = end.held ?? 0;
          const submitted = result.submitted - (end.dead - held) - (end.decided ?? 0);
          return { ...result, waiting: result.waiting - held, submitted, dead: result.dead + end.dead };
        }
        return deferJob(job, token, { ...data, deferrals: deferrals + 1 }, deferDelay(deferrals), lost);
      }
      // The job's run, and earlier runs whose work a recovery queued under this run's id.
      await completeRunsAfterJob(completion, ledger, job.data, sealId, pipelineConfig.targets);
      return result;
    }, requeueLost),
    {
      ...base,
      concurrency: cfg.concurrency,
      settings: {
        backoffStrategy: (attemptsMade: number, type?: string) => {
          if (type !== DELIVER_BACKOFF) throw new Error(`deliver: unknown backoff type ${String(type)}`);
          return cappedBackoff(attemptsMade, cfg.backoffMs, cfg.maxBackoffMs);
        },
      },
      limiter: cfg.rateLimit
        ? { max: cfg.rateLimit.max, duration: cfg.rateLimit.durationMs }
        : RETRY_AFTER_ONLY,
    },
  );
  return worker;
}

/**
 * `target` as one deliver call uses it, telling whether any request of the call left this host.
 * None did when each was held back by the platform's wait (shared/send-pause.ts `hold`: `unsent`,
 * and no kind of failure, as no answer came). Anything else counts as left: a batch answered or
 * failed after it may have reached the platform, a status request, a token endpoint that answered
 * asking to wait (its request is `unsent` to the platform, but carries the endpoint's status).
 */
function watchedRequests(target: TargetAdapter): { target: TargetAdapter; left(): boolean } {
  let left = false;
  const heldBack = (e: unknown) => neverSent(e) && errorFailureKind(e) === undefined;
  const watch = async <T extends { unsent?: boolean; failure?: unknown }>(call: () => Promise<T[]>) => {
    try {
      const outcomes = await call();
      if (outcomes.some((o) => o.unsent !== true || o.failure !== undefined)) left = true;
      return outcomes;
    } catch (e) {
      if (!heldBack(e)) left = true;
      throw e;
    }
  };
  const deliver: TargetAdapter['deliver'] = (items) => watch(() => target.deliver(items));
  const poll = target.poll?.bind(target);
  const watchedPoll: TargetAdapter['poll'] = poll && ((refs) => watch(() => poll(refs)));
  const watched = new Proxy(target, {
    get(t, prop) {
      if (prop === 'deliver') return deliver;
      if (prop === 'poll') return watchedPoll;
      const value: unknown = Reflect.get(t, prop, t);
      return typeof value === 'function' ? value.bind(t) : value;
    },
  });
  return { target: watched, left: () => left };
}

/** A job's logger, as its other lines are bound. */
function jobLog(rt: Runtime, job: Job<DeliverJobData>) {
  return rt.logger.child({ pipeline: job.data.pipeline, runId: job.data.runId, jobId: job.id });
}
