/**
 * One run of a pipeline at a time. Two runs of one pipeline at once (a schedule firing while the
 * last run still reads, a `licbridge run` beside a scheduled one) read the source twice and raced
 * for its checkpoint. A run now takes the pipeline's lease in the ledger (ledger/pipeline-leases.ts)
 * before it reads: `licbridge run` for the whole of its process (past its run's end, while it
 * empties the queues and makes its light check), a scheduled run while its extract job reads. A
 * second run finds it held: `licbridge run` is refused with `PipelineBusy` (exit 4),
 * a scheduled firing is skipped and recorded as such (`status` shows the last one).
 *
 * The holder renews the lease every `HEARTBEAT_MS`; it runs out `STALE_MS` after the last renewal,
 * so a killed holder blocks the pipeline no longer than that — and on the holder's own host not
 * at all: a holder whose process the process table says is gone is taken over at once, as
 * run-liveness.ts judges a run's owner. A lease's end is written and judged by the ledger's clock
 * (ledger/db-clock.ts), never a host's: hosts whose clocks differ still agree when it runs out.
 */
import { ErrorCodes, LicbridgeError } from '../core/errors.js';
import type { Ledger, PipelineHolder } from '../ledger/ledger.js';
import { HEARTBEAT_MS, ownerGone, processOwner, STALE_MS } from './run-liveness.js';

/** How long a lease lasts past its last renewal, ms: a holder's heartbeat this old means it is gone. */
export const PIPELINE_LEASE_MS = STALE_MS;

/**
 * How long the holder of a run's lease may go without renewing it before another process working
 * the same run takes it over at its own renewal, ms: 5 heartbeats, and 20 s before the lease runs
 * out and a third run may take the pipeline. Two copies of one extract job (a stalled job handed to
 * a second worker while the first still reads) share the run: the lease stays with the copy that
 * renews it while it reads, and passes to the other once that one has ended.
 */
export const PIPELINE_ADOPT_MS = PIPELINE_LEASE_MS / 3;

/** Another run holds the pipeline; this one was not started. */
export class PipelineBusy extends LicbridgeError {
  constructor(
    readonly held: PipelineHolder,
    /** The message, when not a run's `busyMessage`. */
    message = busyMessage(held),
  ) {
    // Not retried: a person (or the next scheduled firing) starts it again once the pipeline is free.
    super(ErrorCodes.PIPELINE_BUSY, message, {
      retryable: false,
      context: { pipeline: held.pipeline, runId: held.runId },
    });
    this.name = 'PipelineBusy';
  }
}

/**
 * `pipeline X is being run by run N started at T on host H (pid P); its lease runs out at U unless
 * that process renews it; not started`. The pid and the lease's end tell a live run from a holder
 * killed on another host (this host cannot see its process): that one frees the pipeline by itself
 * at U, by the ledger's clock.
 */
export function busyMessage(held: PipelineHolder, what = 'run', outcome = 'not started'): string {
  const pid = holderPid(held);
  return `${what}: pipeline ${held.pipeline} is being run by run ${held.runId} started at ${held.startedAt.toISOString()} on host ${holderHost(held)}${pid === undefined ? '' : ` (pid ${pid})`}; its lease runs out at ${held.until.toISOString()} unless that process renews it; ${outcome}`;
}

/**
 * The run holding the pipeline now, or null: a lease run out, or of a process gone from this host,
 * holds nothing (as `claim` judges it). One whose run has ended holds while its holder keeps it:
 * `licbridge run` holds its pipelines until its work is over, its light check included.
 */
export async function liveHolder(
  ledger: Pick<Ledger, 'pipelineLeases'>,
  pipeline: string,
): Promise<PipelineHolder | null> {
  const held = await ledger.pipelineLeases.holderOf(pipeline);
  if (held === null || held.until.getTime() < held.readAt.getTime() || ownerGone(held.holder)) return null;
  return held;
}

/** `pid` of a holder's `<host> <pid>`, when it has one. */
function holderPid(held: PipelineHolder): string | undefined {
  const cut = held.holder.lastIndexOf(' ');
  const pid = cut > 0 ? held.holder.slice(cut + 1) : '';
  return /^\d+$/.test(pid) ? pid : undefined;
}

/** `host` of a holder's `<host> <pid>`. */
function holderHost(held: PipelineHolder): string {
  const cut = held.holder.lastIndexOf(' ');
  return cut > 0 ? held.holder.slice(0, cut) : held.holder;
}

/**
 * Leases the pipeline to the run, for this process; null when the run holds it now, else the run
 * that does. A holder whose process is gone from this host is taken over.
 */
export async function takePipeline(
  ledger: Pick<Ledger, 'pipelineLeases'>,
  pipeline: string,
  runId: string,
  owner = processOwner(),
): Promise<PipelineHolder | null> {
  const claim = { pipeline, runId, holder: owner, forMs: PIPELINE_LEASE_MS };
  const held = await ledger.pipelineLeases.claim(claim);
  if (held === null || !ownerGone(held.holder)) return held;
  // The holder judged gone, not its run alone: one adopted meanwhile by a live process stays its.
  return ledger.pipelineLeases.claim({ ...claim, takeOver: { runId: held.runId, holder: held.holder } });
}

/**
 * Renews the runs' leases for this process; the pipelines a run no longer holds. A run's lease
 * another process of the run renews is left to it (see `PIPELINE_ADOPT_MS`).
 */
export async function renewPipelines(
  ledger: Pick<Ledger, 'pipelineLeases'>,
  runs: readonly { pipeline: string; runId: string }[],
  owner = processOwner(),
): Promise<string[]> {
  const lost: string[] = [];
  for (const r of runs) {
    if (
      !(await ledger.pipelineLeases.renew(r.pipeline, r.runId, owner, PIPELINE_LEASE_MS, PIPELINE_ADOPT_MS))
    )
      lost.push(r.pipeline);
  }
  return lost;
}

/**
 * Renews the run's lease for this process every `everyMs` until the returned function is called.
 * `lost` when the run holds it no more, `failed` when a renewal could not be recorded. One renewal
 * at a time, as `licbridge run`'s heartbeat: during a ledger outage one waits in its retries, and
 * more piled behind it would all take a connection of the pool once the database is back.
 */
export function keepPipeline(
  ledger: Pick<Ledger, 'pipelineLeases'>,
  run: { pipeline: string; runId: string },
  on: { lost(): void; failed(error: unknown): void },
  everyMs = HEARTBEAT_MS,
): () => void {
  return everyInTurn(
    () =>
      renewPipelines(ledger, [run])
        .then((lost) => {
          if (lost.length > 0) on.lost();
        })
        .catch((e: unknown) => on.failed(e)),
    everyMs,
  );
}

/**
 * Starts `work` every `everyMs`, one at a time (a tick while one is under way starts none): during
 * a ledger outage a renewal or heartbeat waits in its retries, and starting more behind it would
 * pile them up (10 after 20 s) to run all at once, holding the pool's connections, once the
 * database is back. `work` handles its own failures. Returns the stop; the timer holds nothing open.
 */
export function everyInTurn(work: () => Promise<void>, everyMs: number): () => void {
  let running = false;
  const timer = setInterval(() => {
    if (running) return;
    running = true;
    void work().finally(() => {
      running = false;
    });
  }, everyMs);
  timer.unref();
  return () => clearInterval(timer);
}

/**
 * Lets the runs' pipelines go, those this process holds; a ledger that cannot be reached leaves
 * them to run out. A run's lease another process holds (a copy of its extract job still reading)
 * stays with it.
 */
export async function releasePipelines(
  ledger: Pick<Ledger, 'pipelineLeases'> | undefined,
  runs: readonly { pipeline: string; runId: string }[],
  owner = processOwner(),
): Promise<void> {
  if (!ledger) return;
  for (const r of runs)
    await ledger.pipelineLeases.release(r.pipeline, r.runId, owner).catch(() => undefined);
}

/**
 * Leases every pipeline to its run, or none: a pipeline another run holds lets go of those taken
 * and throws `PipelineBusy`, naming that run; a claim that fails (the ledger away) lets go of them
 * too, and throws its failure.
 */
export async function holdPipelines(
  ledger: Pick<Ledger, 'pipelineLeases'>,
  runs: readonly { pipeline: string; runId: string }[],
  owner = processOwner(),
): Promise<void> {
  const taken: { pipeline: string; runId: string }[] = [];
  // In one order for every run: `run a b` beside `run b a` would each take one and find the other
  // held, and both give up; taken in name order, the first to take `a` takes both.
  const ordered = [...runs].sort((x, y) => (x.pipeline < y.pipeline ? -1 : x.pipeline > y.pipeline ? 1 : 0));
  for (const r of ordered) {
    let held: PipelineHolder | null;
    try {
      held = await takePipeline(ledger, r.pipeline, r.runId, owner);
    } catch (e) {
      await releasePipelines(ledger, taken, owner);
      throw e;
    }
    if (held) {
      await releasePipelines(ledger, taken, owner);
      throw new PipelineBusy(held);
    }
    taken.push(r);
  }
}
