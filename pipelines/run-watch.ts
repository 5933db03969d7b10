/**
 * The poll loop of `licbridge run` (pipelines/run-pipelines.ts): it looks at each run about once
 * a second until all are settled, and ends them then (run-settle.ts). Meanwhile it sweeps what
 * the ledger shows unfinished when nothing moves, gives up after the idle timeout (idle-rule.ts),
 * ends the runs `in-review` once nothing is left but platforms' verdicts that do not come for the
 * review wait (run-review.ts), and rides out a ledger that does not answer for a while (run-poll.ts).
 */
import type { Config } from '../config/types.js';
import { ErrorCodes, errorLine, LicbridgeError } from '../core/errors.js';
import { answeredWithin } from '../core/within.js';
import type { PipelineBacklog } from '../ledger/ledger.js';
import { IDLE_TIMEOUT_MS, IdleSchedule, jobsInFlight } from './idle-rule.js';
import type { QueueSet } from './queues.js';
import { runDeliveries } from './run-deliveries.js';
import type { RunOptions, RunSummary } from './run-pipelines.js';
import { LedgerOutage, ledgerAway, pollRun } from './run-poll.js';
import { sweep } from './run-recovery.js';
import { backlogOnlyInReview, inReviewOf, onlyReviewsLeft, reviewWaitMs } from './run-review.js';
import { leaveInReview, settle } from './run-settle.js';
import { owes, type StartedRuns } from './run-start.js';
import { pauseUnlessStopped, throwIfStopped } from './run-stop.js';
import type { Runtime } from './runtime.js';
import { endedByOwnExtractJob } from './workers/extract-worker.js';

/** How the loop looks at the runs. */
export interface WatchOptions {
  /** This process, as the runs name it. */
  owner: string;
  /** Longest pause between two polls, ms (validated above 0 by the caller). */
  pollPauseMaxMs: number;
  /**
   * Told once the runs' work is found complete, before they are settled (run-settle.ts): a stop
   * that comes from then on comes after the work was complete, whatever step it cuts short.
   */
  onComplete?(summaries: RunSummary[]): void;
}

/** Polls the started runs until they are settled or ended `in-review`, and returns their summaries. */
export async function watchRuns(
  config: Readonly<Config>,
  rt: Runtime,
  queues: QueueSet,
  started: StartedRuns,
  options: RunOptions,
  { owner, pollPauseMaxMs, onComplete }: WatchOptions,
): Promise<RunSummary[]> {
  const log = options.logger;
  const { ledger, runs, failures, sealOf, backlogOf, recovered } = started;
  const idleTimeoutMs = options.idleTimeoutMs ?? IDLE_TIMEOUT_MS;
  const sweepAfterMs = options.sweepAfterMs ?? 3000;
  // Idle time runs on the outage's clock, which stands still while a poll fails.
  const outage = new LedgerOutage();
  const inFlight = jobsInFlight(queues, options.pipelines);
  const schedule = new IdleSchedule({ sweepAfterMs, idleTimeoutMs, now: outage.clock, inFlight });
  let sweeps = 0;
  let lastFingerprint = '';
  // Each run as the last poll that read it saw it: a poll the ledger could not answer keeps it.
  const lastPolls = new Map<string, { summary: RunSummary; backlog: PipelineBacklog | undefined }>();
  // A backlog the ledger, away, could not answer: warned of, and the run not settled this time.
  const unread = (pipeline: string, e: unknown): null => {
    if (!ledgerAway(e)) throw e;
    log.warn({ pipeline, error: errorLine(e) }, 'run: backlog not read; the next poll reads it again');
    return null;
  };
  for (;;) {
    throwIfStopped(options.stop, runs);
    const polled = Date.now();
    const summaries: RunSummary[] = [];
    const backlogs: (PipelineBacklog | undefined)[] = [];
    let settled = true;
    let unreadNow = false;
    // Whether every run not settled waits only for platforms' verdicts, and which targets'.
    let onlyReviews = true;
    const reviewing = new Set<string>();
    for (const r of runs) {
      const parts = rt.pipelineConfig(r.pipeline);
      const polledRun = await pollRun(ledger, r, sealOf(r.pipeline), parts.targets, log);
      const last = lastPolls.get(r.runId);
      if (!polledRun) {
        // Not read this time: the run stands as last seen, and is not settled.
        settled = false;
        unreadNow = true;
        if (last) summaries.push(last.summary);
        backlogs.push(last?.backlog);
        continue;
      }
      const { run, progress } = polledRun;
      // The extract job failed for good after the run's extraction was over (queueing its
      // versions, the completion check): its licenses are all in the ledger, and this loop's
      // sweeps queue what no job holds. Not the run's failure: it ends `done` when its work does.
      const heard = failures.failureOf(r.runId, run, (failed) =>
        log.warn(
          { pipeline: r.pipeline, runId: r.runId, error: failed },
          'run: the extract job failed after the run was extracted; finishing its work',
        ),
      );
      // Ended `abandoned` by another process that judged this one gone (its clock ahead, or this
      // process paused past the heartbeat's age): no page is committed to it any more and it can
      // never be `done`. Said at once, as the ledger says it, not as a run where nothing moved.
      // Its own extract job ends it so too, given up after its last page with the extracted mark
      // refused: no other process did, and its stored reason says what did.
      const failure =
        heard ??
        (run.state === 'failed'
          ? (run.error ?? 'failed')
          : run.state === 'abandoned'
            ? endedByOwnExtractJob(run.error)
              ? `the run ended abandoned: ${run.error}`
              : `another process ended the run abandoned while this one drove it: ${run.error ?? 'abandoned'}`
            : undefined);
      // The versions the run did create are signed and delivered (or dead-lettered)…
      const { worked, ...deliveries } = runDeliveries(progress, parts.targets);
      // …and, for a run that did not fail, its extraction finished too.
      const complete = Boolean(run.extractedAt) && worked;
      // …or done but for deliveries the platform still reviews.
      const reviewsLeft = Boolean(run.extractedAt) && !worked && onlyReviewsLeft(progress, parts.targets);
      // The pipeline's backlog is read only once the run's own work is done: it is a full count.
      const backlog =
        (complete || reviewsLeft) && !failure
          ? await backlogOf(r.pipeline).catch((e: unknown) => unread(r.pipeline, e))
          : undefined;
      if (backlog === null) unreadNow = true;
      backlogs.push(backlog === null ? last?.backlog : backlog);
      // A failed run still lets what it created go out, so its summary counts what really was
      // delivered; it waits no longer once nothing moves (a broken signer, say).
      if (
        failure
          ? !worked && schedule.quietMs() < sweepAfterMs
          : !complete || backlog === null || owes(backlog)
      ) {
        settled = false;
        if (failure || !backlog || !backlogOnlyInReview(backlog)) onlyReviews = false;
        else for (const t of Object.keys(inReviewOf(backlog) ?? {})) reviewing.add(t);
      }
      const before = recovered.get(r.pipeline);
      const summary: RunSummary = {
        pipeline: r.pipeline,
        runId: r.runId,
        state: failure ? 'failed' : 'done',
        read: run.read,
        created: run.created,
        unchanged: run.unchanged,
        quarantined: run.quarantined,
        signed: progress.signed,
        ...deliveries,
        ...(failure ? { error: failure } : {}),
        ...(owes(before) && before ? { recovered: before } : {}),
        ...(run.absentElements ? { absentElements: run.absentElements } : {}),
      };
      summaries.push(summary);
      lastPolls.set(r.runId, { summary, backlog: backlogs[backlogs.length - 1] });
    }
    options.onProgress?.(summaries);
    if (settled) {
      onComplete?.(summaries);
      await settle(rt, ledger, queues, summaries, options);
      return summaries;
    }
    const fingerprint = JSON.stringify([summaries, backlogs]);
    if (unreadNow) {
      // Not seen, so not seen standing still: no sweep (it reads the ledger) and no idle count.
      const unreadMs = outage.unread(polled);
      if (unreadMs > idleTimeoutMs) {
        throw new LicbridgeError(
          ErrorCodes.LEDGER,
          `run: the ledger did not answer for ${Math.round(unreadMs / 1000)} s; see the warnings above and \`licbridge status\``,
          { retryable: true },
        );
      }
    } else {
      outage.read();
      if (fingerprint !== lastFingerprint) {
        // Against the last poll that read the ledger, before any outage between them: a read
        // alone is not progress.
        lastFingerprint = fingerprint;
        schedule.progressed();
      } else {
        // A platform reviewing is not a stall: the idle timeout does not apply, the review wait does.
        const reviews = onlyReviews && reviewing.size > 0;
        let next = reviews ? schedule.next() : await schedule.step();
        if (reviews) {
          const waitMs = options.reviewWaitMs ?? reviewWaitMs(config, reviewing);
          if (schedule.quietMs() > waitMs) {
            onComplete?.(summaries);
            await leaveInReview(rt, ledger, queues, summaries, backlogs, options, owner);
            return summaries;
          }
          // Still sweep: a deliver job lost meanwhile would ask the platform no more.
          if (next === 'give-up') next = 'sweep';
        }
        if (next === 'give-up') {
          throw new LicbridgeError(
            ErrorCodes.INTERNAL,
            `run: nothing moved for ${Math.round(idleTimeoutMs / 1000)} s; see \`licbridge status\` and the worker logs`,
            { retryable: true },
          );
        }
        if (next === 'sweep') {
          sweeps += 1;
          // This poll's backlogs: what they show owing nothing is not read again.
          const sweptAt = Date.now();
          try {
            const added = await answeredWithin(
              sweep(rt, ledger, queues, runs, `sweep${sweeps}`, backlogs),
              idleTimeoutMs,
              'run: a sweep',
              'Redis or the ledger',
            );
            schedule.swept(added);
            if (added > 0) log.warn({ jobs: added }, 'run: re-enqueued unfinished work from the ledger');
          } catch (e) {
            // A sweep reads the ledger as a poll does: one it did not answer is as a poll it did
            // not answer, its time left out of the idle time; the next poll tells whether it is back.
            if (!ledgerAway(e) || outage.unread(sweptAt) > idleTimeoutMs) throw e;
            log.warn({ error: errorLine(e) }, 'run: the ledger did not answer a sweep; sweeping again later');
          }
        }
      }
    }
    // The counts above grow with the run: look less often the longer they took, so that on a
    // large run they keep to a small share of the time the stages need — but at most every 5 s:
    // a poll that spent a ledger outage retrying must not put the next one ten outages away.
    const pause = Math.min(pollPauseMaxMs, Math.max(200, 10 * (Date.now() - polled)));
    await pauseUnlessStopped(pause, options.stop);
  }
}
