/**
 * The end of `licbridge run` once its work is complete: the runs marked `done` (or `failed`), the
 * other runs whose work this one finished closed, the queues emptied, the quarantine counted by
 * reason and the light check made (pipelines/run-watch.ts decides when).
 */
import type { Queue } from 'bullmq';
import { sealIdOf } from '../config/seal-id.js';
import { failureMessage } from '../core/errors.js';
import type { Ledger, PipelineBacklog } from '../ledger/ledger.js';
import { drainQueues, heldByRunningRun } from './drain-queues.js';
import { quarantineByReason } from './observability/quarantine-attention.js';
import type { QueueSet } from './queues.js';
import { readWindowClosed } from './read-window.js';
import { reconcilePipeline, reconcileSettings } from './reconcile/reconcile.js';
import type { RunCheck, RunOptions, RunSummary } from './run-pipelines.js';
import { inReviewOf } from './run-review.js';
import type { Runtime } from './runtime.js';

/**
 * Ends `licbridge run` while platforms still review some of its deliveries: the runs waiting only
 * on them end `in-review` (left `running` in the ledger and let go by `owner`, for the deliver jobs
 * to complete when the verdicts come), the others settle as usual.
 */
export async function leaveInReview(
  rt: Runtime,
  ledger: Ledger,
  queues: QueueSet,
  summaries: RunSummary[],
  backlogs: readonly (PipelineBacklog | undefined)[],
  options: RunOptions,
  owner: string,
): Promise<void> {
  summaries.forEach((s, i) => {
    const inReview = inReviewOf(backlogs[i]);
    if (s.state === 'done' && inReview) Object.assign(s, { state: 'in-review', inReview });
  });
  options.logger.warn(
    { inReview: summaries.filter((s) => s.inReview).map((s) => ({ pipeline: s.pipeline, ...s.inReview })) },
    'run: platforms are still reviewing deliveries; ending without their verdicts, which the deliver jobs record',
  );
  await settle(rt, ledger, queues, summaries, options);
  // This process ends; the runs it leaves do not stop with it. Still owned, they counted as
  // abandoned the moment it was gone: `status` named them so (exit 3, `last_run_failed` 1), and
  // the next run ended them `abandoned`, though nothing was wrong.
  await ledger.disownRuns(
    summaries.filter((s) => s.state === 'in-review').map((s) => s.runId),
    owner,
  );
}

/** The work is complete: runs marked `done`, the queues emptied, the light check made. */
export async function settle(
  rt: Runtime,
  ledger: Ledger,
  queues: QueueSet,
  summaries: RunSummary[],
  options: RunOptions,
): Promise<void> {
  for (const s of summaries) {
    const parts = rt.pipelineConfig(s.pipeline);
    // `in-review` as `done`: completed if its own work is (the reviews left are earlier runs'),
    // else left `running`, for its deliver jobs to complete once the platform's verdicts come.
    if (s.state === 'failed')
      await ledger.finishRun(s.runId, { state: 'failed', error: s.error ?? 'failed' });
    else if (!(await ledger.completeRun(s.runId, sealIdOf(rt.config, parts), parts.targets))) {
      // Another process (a `licbridge worker` whose job failed for good) ended the run meanwhile:
      // the summary says what the ledger says.
      const run = await ledger.getRun(s.runId);
      if (run && run.state !== 'done' && run.state !== 'running') {
        s.state = 'failed';
        s.error = run.error ?? `the run was ended ${run.state} meanwhile`;
      }
    }
  }
  // Other runs whose work this one finished (a scheduled run, say) are done too.
  for (const run of await ledger.runningRuns()) {
    const parts = rt.config.pipelines[run.pipeline];
    if (!parts || !run.extractedAt) continue;
    await ledger.completeRun(run.runId, sealIdOf(rt.config, parts), parts.targets);
  }
  // Not with reviews pending: their deliver jobs wait delayed for the next status request, and
  // the queues would not empty before they are decided. A worker or the next run takes them.
  if (options.workInProcess !== false && !summaries.some((s) => s.state === 'in-review')) {
    const worked = [queues.extract, queues.sign, ...queues.deliver.values()];
    await drainQueues(
      worked as Queue[],
      options.drainTimeoutMs ?? 30_000,
      options.logger,
      heldByRunningRun(ledger, options.logger),
      options.stop,
    );
  }
  for (const s of summaries)
    if (s.quarantined > 0) s.quarantineByReason = quarantineByReason(await ledger.quarantineFor(s.runId));
  if (reconcileSettings(rt).afterRun === 'light') {
    for (const s of summaries) {
      if (s.state !== 'done') continue;
      s.check = await checkUnlessStopped(rt, s.pipeline, options.stop);
    }
  }
}

/**
 * The light check, unless a signal asks the run to stop first or meanwhile: the check reads the
 * whole source, minutes on a large one, and the run's work is complete. It is left to
 * `licbridge reconcile`, and the summary says it was not made. A check cut off that way is told
 * to stop (its source read takes the signal) and stores no report.
 */
function checkUnlessStopped(rt: Runtime, pipeline: string, stop: AbortSignal | undefined): Promise<RunCheck> {
  if (!stop) return lightCheck(rt, pipeline);
  if (stop.aborted) return Promise.resolve(notMade(pipeline, stop));
  return new Promise((resolve) => {
    const onStop = (): void => resolve(notMade(pipeline, stop));
    stop.addEventListener('abort', onStop, { once: true });
    void lightCheck(rt, pipeline, stop).then((check) => {
      stop.removeEventListener('abort', onStop);
      resolve(check);
    });
  });
}

/**
 * The summaries of runs whose work was complete when a stop cut their settling short (a step
 * waiting on a service that stopped answering, left after the stop's bound: run-stop.ts): a light
 * check due and not made says so, as one the stop came before does.
 */
export function cutShort(rt: Runtime, summaries: readonly RunSummary[], stop: AbortSignal): RunSummary[] {
  const checked = reconcileSettings(rt).afterRun === 'light';
  return summaries.map((s) =>
    checked && s.state === 'done' && s.check === undefined
      ? { ...s, check: notMade(s.pipeline, stop) }
      : { ...s },
  );
}

/** A light check a signal stopped: not made, and `licbridge reconcile` makes it. */
function notMade(pipeline: string, stop: AbortSignal): RunCheck {
  return {
    error: `light check: not made, the run was stopped (${String(stop.reason)}); run \`licbridge reconcile ${pipeline}\``,
  };
}

/**
 * The light check of one pipeline; its failure is reported in the summary, never fails the run.
 * Stopped, it stops reading and stores no report, and what it met then (the signal, a connection
 * the stop closed) is no failure of the check to warn of.
 */
async function lightCheck(rt: Runtime, pipeline: string, stop?: AbortSignal): Promise<RunCheck> {
  // Outside the window the check is refused (reconcile.ts): not made, and no failure to warn of.
  const source = rt.config.pipelines[pipeline]?.source;
  const closed = source === undefined ? null : readWindowClosed(rt.config, source, new Date());
  if (closed !== null)
    return {
      notMade: `light check: not made, ${closed}; the next run inside the window makes it, or \`licbridge reconcile ${pipeline}\` there`,
    };
  try {
    const r = await reconcilePipeline(rt, { pipeline, mode: 'light', ...(stop ? { signal: stop } : {}) });
    const sourceKeys = r.counts.source.total;
    const ledgerLicenses = r.counts.ledger.total;
    // Rows in quarantine were read and explained: only what is neither a license nor quarantined is a gap.
    const quarantined = r.counts.source.quarantined;
    const standInsNotSeen = r.counts.source.standInsNotSeen ?? 0;
    return {
      reportId: r.reportId,
      sourceKeys,
      ledgerLicenses,
      quarantined,
      // The stored report's own count: missed and deleted keys, each named there.
      differences: r.differences,
      // Keyless rows' stand-ins no row gives any more: no difference, but a person's to close.
      ...(standInsNotSeen > 0 ? { standInsNotSeen } : {}),
    };
  } catch (error) {
    if (stop?.aborted) return notMade(pipeline, stop);
    // The check reads the whole source: a driver's words may quote a value it could not read (a
    // holder's name or ID number in a key column). Told as a failed full check is stored.
    const { message } = failureMessage(error);
    rt.logger.warn({ pipeline, error: message }, 'run: light check failed');
    return { error: `light check: ${message}` };
  }
}
