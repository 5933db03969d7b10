/**
 * Whether the process, or the extract job, driving a run still lives. `licbridge run` writes
 * `<host> <pid>` into its runs and a heartbeat every few seconds. On the same host the process
 * table answers at once (a SIGKILLed `run` is seen dead the moment it is gone); from another host
 * only the heartbeat can, so a run is judged dead there once its heartbeat is `STALE_MS` old. A
 * scheduled run has no process of its own: its extract job, while unfinished, is its life.
 *
 * The heartbeat is written with the ledger's time and judged against the ledger's time when the
 * run was read (`readAt`, ledger/db-clock.ts), never a host's clock: a host whose clock is minutes
 * off neither ends a run that still beats nor keeps one alive that stopped.
 */
import { hostname } from 'node:os';
import type { Queue } from 'bullmq';
import type { Ledger, StoredRun } from '../ledger/ledger.js';
import { jobData, UNFINISHED, unfinishedJobs } from './queue-scan.js';
import { REQUEUE_IDS, requeuedJobId, STALL_REQUEUES } from './workers/stalled-out.js';

/** How often `licbridge run` says it still drives its runs, ms. */
export const HEARTBEAT_MS = 2000;
/** A heartbeat this old means its process is gone (or hung), ms. */
export const STALE_MS = 30_000;

/** This process, as runs record their owner. */
export function processOwner(): string {
  return `${hostname()} ${process.pid}`;
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    // EPERM: the process exists but belongs to another user.
    return (e as { code?: string }).code === 'EPERM';
  }
}

/**
 * `false` when the run is `running` and the process that drives it is gone. Runs without an owner
 * (scheduled runs, worked by whichever worker takes their jobs) are never judged abandoned: a
 * dead worker's extract job is taken over by another worker. `now` is the ledger's time the run
 * was read at; only a run not read from the ledger (no `readAt`) falls back to this host's clock.
 */
export function runOwnerAlive(run: StoredRun, now = run.readAt?.getTime() ?? Date.now()): boolean {
  if (run.state !== 'running' || !run.owner) return true;
  const beat = (run.heartbeatAt ?? run.startedAt).getTime();
  if (now - beat > STALE_MS) return false;
  return !ownerGone(run.owner);
}

/**
 * Whether the process an owner names (`<host> <pid>`, as `processOwner` writes it) is known to be
 * gone: on this host, the process table says so; on another, nothing here can tell (false).
 */
export function ownerGone(owner: string): boolean {
  const cut = owner.lastIndexOf(' ');
  const host = owner.slice(0, cut);
  const pid = Number(owner.slice(cut + 1));
  if (host === hostname() && Number.isInteger(pid) && pid > 0) return !pidAlive(pid);
  return false;
}

/** Scheduled extract jobs carry no run id: each opens the run `scheduled-<job id>`. */
export const SCHEDULED = 'scheduled-';

/** A repair's run (`reconcile --repair`, an objection's uphold, pipelines/reconcile/): `repair-<uuid>`. */
export const REPAIR_RUN = 'repair-';

/** `run R` or `repair R`, as a closed run's reason names the one that took its pipeline over. */
function runNamed(runId: string): string {
  return `${runId.startsWith(REPAIR_RUN) ? 'repair' : 'run'} ${runId}`;
}

/**
 * Why a repair's run whose process is gone is closed `abandoned`: the process of the repair died,
 * not an extract job — a repair without a re-read never had one. What it wrote stays in the ledger
 * (its versions, its reopened deliveries), and a run signs and delivers it.
 */
export function repairGoneReason(taker: string | undefined): string {
  const after = taker
    ? `${runNamed(taker)} took the pipeline over; what it wrote stays in the ledger, and ${taker.startsWith(REPAIR_RUN) ? "the pipeline's next run" : 'that run'} signs and delivers it`
    : "what it wrote stays in the ledger, and the pipeline's next run signs and delivers it";
  return `the process of its repair (\`licbridge reconcile --repair\` or \`licbridge objection resolve --upheld\`) is gone before the repair was complete; ${after}`;
}

/** The run an extract job works: its own id, or for a scheduled job (no run id) `scheduled-<job id>`. */
export function extractJobRunId(job: { id?: string | undefined; data: { runId?: string } }): string {
  return job.data.runId || `${SCHEDULED}${job.id ?? 'job'}`;
}

/**
 * The runs whose extract job is not finished: waiting, delayed (a retry's backoff) or active.
 * Read as queue-scan.ts reads (each state's ids at once, their data paged): read 500 at a time by
 * position, the jobs after those workers took meanwhile moved nearer the start, where no page read
 * them, and their runs were said to have no extract job (`status` showed them abandoned).
 */
export async function runsWithExtractJob(extract: Queue): Promise<Set<string>> {
  const held = new Set<string>();
  for await (const page of unfinishedJobs(extract, UNFINISHED)) {
    for (const { id, data } of page) {
      const parsed = jobData(data);
      // Gone meanwhile (no data left): it works no run.
      if (!parsed) continue;
      const runId = typeof parsed.runId === 'string' ? parsed.runId : undefined;
      held.add(extractJobRunId({ id, data: runId === undefined ? {} : { runId } }));
    }
  }
  return held;
}

/**
 * The ids of the extract jobs a run is worked by: the job it is started by (a scheduled run's own
 * job, or `extract_<run id>`), and the copies of it queued again after it stalled out
 * (workers/stalled-extract.ts), which a stalled-out copy's run must not be closed beside. A copy
 * goes under `-stalled-<times>`, or the next `-stalled-<n>` its queue does not keep, up to
 * REQUEUE_IDS past it (a copy retried by hand keeps its data, and stalling out again is queued
 * under a later id): every id a copy can be given, not `-stalled-1` alone.
 */
export function ownExtractJobIds(runId: string): string[] {
  const first = runId.startsWith(SCHEDULED) ? runId.slice(SCHEDULED.length) : `extract_${runId}`;
  const copies = Array.from({ length: STALL_REQUEUES + REQUEUE_IDS }, (_, i) => requeuedJobId(first, i + 1));
  return [first, ...copies];
}

/**
 * Whether the run's own extract job is unfinished, asked of the job itself. A scan of the queue's
 * lists reads one list after another, so a job moving back from active to waiting between two of
 * them (a stalled job put back by the stalled check, a job moved back by a rate limit) is in none
 * of the lists as they were read; BullMQ reads a job's state at once, in one script.
 */
export async function ownExtractJobUnfinished(extract: Queue, runId: string): Promise<boolean> {
  // Asked all at once: one connection carries the lot, not a round trip per id.
  const states = await Promise.all(ownExtractJobIds(runId).map((id) => extract.getJobState(id)));
  return states.some((state) => state !== 'completed' && state !== 'failed' && state !== 'unknown');
}

/**
 * Whether a `running` run's extraction has nobody left to do it. An extract job can go without
 * its run hearing of it: removed by hand, lost with a Redis restarted without persistence, or
 * failed for good by stalling (its worker killed mid-stage `maxStalledCount` times), which BullMQ
 * records without running the stage's own failure handling. The run then stays `running`, never
 * extracted, for good. A run is orphaned when its extraction is not over, no unfinished extract
 * job works it, and it is a scheduled run or one whose owning process is gone (a live `licbridge
 * run` re-enqueues its own extract job). A lifecycle tick's run is the lifecycle queue's, not these.
 */
export function extractOrphaned(run: StoredRun, withJob: ReadonlySet<string>, now?: number): boolean {
  if (run.state !== 'running' || run.extractedAt || run.mode === 'lifecycle') return false;
  if (withJob.has(run.runId)) return false;
  // Without an owner, only a scheduled run lives by its extract job alone: a repair's run is
  // started by a live process before it queues the extract job.
  if (!run.owner) return run.runId.startsWith(SCHEDULED);
  return !runOwnerAlive(run, now);
}

/**
 * Closes the runs whose extraction nobody is left to do (see `extractOrphaned`) as `abandoned`,
 * naming the run that resumes the extraction from the checkpoint. The ledger is read before the
 * queue, the run's own job is asked for its state, and the run is read again after both: a run
 * whose job ended in between is extracted by then, and stays as it is. Returns the runs closed.
 */
export async function closeOrphanedRuns(
  ledger: Ledger,
  extract: Queue,
  options: { pipeline?: string; takenOverBy: (pipeline: string) => string | undefined },
): Promise<StoredRun[]> {
  const running = (await ledger.runningRuns()).filter(
    (r) => options.pipeline === undefined || r.pipeline === options.pipeline,
  );
  if (running.length === 0) return [];
  const withJob = await runsWithExtractJob(extract);
  const closed: StoredRun[] = [];
  for (const seen of running) {
    if (!extractOrphaned(seen, withJob)) continue;
    if (await ownExtractJobUnfinished(extract, seen.runId)) continue;
    const run = await ledger.getRun(seen.runId);
    if (!run || !extractOrphaned(run, withJob)) continue;
    const taker = options.takenOverBy(run.pipeline);
    const finished = await ledger.finishRun(run.runId, {
      state: 'abandoned',
      // A repair's run is owned by its process: gone, the process is what is missing (a repair
      // without a re-read never queued an extract job).
      error: run.runId.startsWith(REPAIR_RUN)
        ? repairGoneReason(taker)
        : `its extract job is gone (removed, lost with Redis, or failed for good after its worker stopped) before the extraction was over; ${
            taker ? `run ${taker} resumes it` : "the pipeline's next run resumes it"
          } from the checkpoint`,
    });
    // Ended meanwhile by another (its run failed, another process closed it): not closed here.
    if (finished.applied) closed.push(finished);
  }
  return closed;
}

/**
 * Ends `abandoned` the pipeline's runs still `running` whose process is gone (`runOwnerAlive`),
 * for `taker`, which has just taken the pipeline's lease (a repair: pipelines/reconcile/apply-repairs.ts).
 * The lease taken over, such a run holds the pipeline no more; left `running`, `status` showed it
 * so until a `licbridge run` closed it. Ended, an extract job still working it commits no further
 * page (a page lands only in a running run). Runs without an owner (scheduled ones, which live by
 * their extract job) are left to `closeOrphanedRuns`. A run whose work `completed` finds done (its
 * process died after its last delivery, before it said so) is marked so there, not ended: its
 * reason would say its work was left incomplete, as `licbridge run` does (run-recovery.ts).
 * Returns the runs ended.
 */
export async function closeDeadOwnedRuns(
  ledger: Pick<Ledger, 'runningRuns' | 'finishRun'>,
  pipeline: string,
  taker: string,
  completed: (run: StoredRun) => Promise<boolean> = async () => false,
): Promise<StoredRun[]> {
  const closed: StoredRun[] = [];
  for (const run of await ledger.runningRuns()) {
    if (run.pipeline !== pipeline || run.runId === taker || !run.owner || runOwnerAlive(run)) continue;
    if (run.extractedAt && (await completed(run))) continue;
    const finished = await ledger.finishRun(run.runId, {
      state: 'abandoned',
      error: run.runId.startsWith(REPAIR_RUN)
        ? repairGoneReason(taker)
        : `the process running it stopped before its work was complete; ${runNamed(taker)} took the pipeline over, and a later run finishes the work`,
    });
    if (finished.applied) closed.push(finished);
  }
  return closed;
}
