import type { AheadOfClock, Page } from '../../connectors/source.js';
import { crashPoint } from '../../core/crash-point.js';
import { errorLine } from '../../core/errors.js';
import type { Logger } from '../../core/logger.js';
import { PageMappedOnAnotherDay } from '../../ledger/commit-page.js';
import { CheckpointMoved } from '../../ledger/commit-page-chain.js';
import { PageRunEnded } from '../../ledger/commit-page-run.js';
import type {
  CommitPageInput,
  CreatedVersion,
  Ledger,
  RunLedger,
  VersionLedger,
} from '../../ledger/ledger.js';
import { StateGuardMoved } from '../../ledger/state-guard.js';
import { recordAheadOfClock } from '../observability/ahead-of-clock.js';
import {
  failsAsBefore,
  issuing,
  logSkipped,
  passShare,
  type Recheck,
  readQuarantinedAgain,
} from '../quarantine-recheck.js';
import type { PipelineParts } from '../runtime.js';
import { mapPage } from './map-page.js';

export interface ExtractOptions {
  runId: string;
  full: boolean;
  /**
   * Called after each committed page with the versions it created (to enqueue signing), in page
   * order, one page at a time. The next page is read, mapped and committed meanwhile: a call still
   * running is awaited before the next page's, and before the extraction returns or throws.
   */
  onPage(created: CreatedVersion[]): Promise<void>;
  /** Called after each committed page's `onPage`, as it is. */
  onProgress?(progress: { read: number; created: number; pages: number }): Promise<void> | void;
  signal?: AbortSignal;
  logger: Logger;
}

export interface ExtractTotals {
  read: number;
  created: number;
  unchanged: number;
  quarantined: number;
  pages: number;
}

/**
 * The run ended (`failed`, `abandoned`, `done`) while this extract job read it: a `licbridge run`
 * that gave up, a copy of the job failing the run for good. Pages committed now would count under
 * a run said to be over; the pipeline's next run reads them from the checkpoint instead.
 */
export class ExtractRunEnded extends Error {
  constructor(
    readonly state: string,
    readonly totals: ExtractTotals,
  ) {
    super(`extract: the run ended (${state}) while its pages were read`);
    this.name = 'ExtractRunEnded';
  }
}

/**
 * Reads the pipeline's stream page by page from the stored checkpoint (or from the start with
 * `full`), maps each row, and commits each page — versions, quarantine, counts and checkpoint —
 * in one ledger transaction. A crash replays at most one page, and the replay changes nothing.
 *
 * Each page commits on top of the checkpoint it was read after (ledger/commit-page-chain.ts): when
 * another copy of the run's extract job (a stalled job BullMQ handed to a second worker while the
 * first still runs) has committed a page of the run since, the commit writes nothing and this
 * throws `ExtractOvertaken`, so no page is counted in the run twice. When another run of the
 * pipeline has (two runs at once, one of them past its lease), the page is refused the same way and
 * this run reads no further: what is left of the stream is the other run's, read once, from a
 * checkpoint that never goes back. So is a page read after a checkpoint `source forget` removed
 * since: the next run reads the source from the start. Before each page's commit the
 * run is read, and the commit itself lands only in a run still running: ended meanwhile, this
 * throws `ExtractRunEnded`.
 */
export async function extractPipeline(
  parts: PipelineParts,
  ledger: RunLedger &
    VersionLedger &
    Pick<Ledger, 'keysHoldNul' | 'openQuarantine' | 'moveStateEntry' | 'putStateEntry' | 'stateEntries'>,
  options: ExtractOptions,
): Promise<ExtractTotals> {
  const { config } = parts;
  const sourceConfig = parts.source;
  const pageSize = config.pageSize;
  // Read before the run: a copy of the run that commits in between moves the checkpoint, and this
  // copy's first page is then refused rather than counted again.
  const stored = await ledger.getCheckpoint(parts.name);
  // A full run that already counted pages (an attempt that crashed, or another copy of its job)
  // goes on from where its pages got to: read from the start again, they were counted twice.
  const resumed = options.full && ((await ledger.getRun(options.runId))?.read ?? 0) > 0;
  const after = options.full && !resumed ? null : stored;
  // The checkpoint this copy's next page follows in the run's chain of pages.
  let follows = stored;
  // Quarantine records written before this are not this run's (../quarantine-recheck.ts).
  const startedAt = new Date();
  // When the last commit that issued versions began: a renewal quarantined before it may find its
  // predecessor now; one quarantined by that very commit was judged with the page's licenses.
  let issuedAt: Date | undefined;
  const totals: ExtractTotals = { read: 0, created: 0, unchanged: 0, quarantined: 0, pages: 0 };
  // Rows the read leaves for their time at the stream's end (a cursor ahead of the database's clock).
  let ahead: AheadOfClock | undefined;
  const readOptions = {
    stream: config.stream,
    after,
    pageSize,
    // The connector keeps its record of what was read per pipeline: two pipelines on one export
    // folder each read every file once.
    reader: parts.reader,
    ...(options.signal ? { signal: options.signal } : {}),
    onAheadOfClock: (count: AheadOfClock) => {
      ahead = count;
    },
  };
  // Rows committing during the read can be skipped for good (STANDARDS §6): told at each run's
  // start, as a worker outlives many runs. A stream the source cannot resolve fails in `read`.
  const lag = await sourceConfig.lagWindowWarning?.(config.stream).catch(() => null);
  if (lag) {
    const { table, cursor, message } = lag;
    options.logger.warn(
      { pipeline: parts.name, runId: options.runId, source: config.source, table, cursor },
      message,
    );
  }
  // A source holding a key more than once (export folders) says which record is newer.
  const compareOrders = sourceConfig.compareOrders?.bind(sourceConfig);
  // The last committed page's jobs being queued (Redis round trips, each waiting its turn on a
  // busy event loop): the next page is read, mapped and committed meanwhile, so signing is fed
  // without a gap per page. One page at a time, in order; a failure is thrown at the next page's
  // turn, one more page committed and its versions left for the end-of-run sweep, as a crash
  // between a commit and its queueing leaves them. The checkpoint moves with each commit as before:
  // a crash still replays at most one page.
  let queued: Promise<void> = Promise.resolve();
  // The page before is queued before this page's outcome goes up, and that outcome wins: it decides
  // the job's fate (ExtractOvertaken waits without spending an attempt, ExtractRunEnded ends the
  // job, a checkpoint moved ends the read), which the queueing's Redis error, thrown in its place,
  // made one more retryable failure. Said here, not lost: its versions wait for a sweep of unsigned
  // versions, this run's end or the next run's. The queueing's own error thrown is not said twice.
  const queuedBefore = async (outcome: unknown) => {
    const failed = await queued.then(
      () => undefined,
      (error: unknown) => ({ error }),
    );
    if (failed && failed.error !== outcome)
      options.logger.warn(
        { pipeline: parts.name, runId: options.runId, error: errorLine(failed.error) },
        "extract: the page before's sign jobs could not be queued; its versions wait for a sweep of unsigned versions",
      );
  };
  /**
   * Maps and commits one page on top of `follows`, and queues its versions' sign jobs; false when
   * another run moved the checkpoint (or it was forgotten) since: the read goes no further.
   */
  const take = async (page: Page, recheck?: Recheck): Promise<boolean> => {
    // One look-up by key per page, small beside the page's commit, so an ended run is not read on.
    // The run can still end between this and the commit: the commit then refuses the page
    // (ledger/commit-page-run.ts), and the read stops the same way.
    const state = (await ledger.getRun(options.runId))?.state ?? 'running';
    if (state !== 'running') throw new ExtractRunEnded(state, totals);
    const commitOnce = async () => {
      // The day the rows are mapped on: a row asks for it, and so does the commit (mappedOn).
      const day = parts.today?.();
      const mapped = await mapPage(parts, ledger, page.rows, options.runId);
      const ready = mapped.candidates;
      // A re-read row failing as its open record says leaves the record as it is: a new record,
      // count and audit entry each run said nothing new (as ledger/version-limit.ts for the tick).
      const quarantined = recheck
        ? mapped.quarantined.filter((q) => !failsAsBefore(recheck.open.get(q.sourceKey), q.reasons))
        : mapped.quarantined;
      const rowsRead = page.rows.length - (mapped.quarantined.length - quarantined.length);
      // Nothing of the re-read to write: its share moves on all the same.
      if (recheck && ready.length === 0 && quarantined.length === 0) return null;
      const input: CommitPageInput = {
        follows,
        ...(recheck ? { guard: ready.length > 0 ? issuing(recheck.guard, began) : recheck.guard } : {}),
        pipeline: parts.name,
        runId: options.runId,
        checkpoint: page.checkpoint,
        rowsRead,
        keyName: config.stream.key,
        candidates: ready,
        quarantined,
        ...(page.fingerprints ? { sourceFingerprints: page.fingerprints } : {}),
        ...(page.orders && compareOrders ? { sourceOrders: page.orders, compareOrders } : {}),
        ...(day !== undefined && parts.today ? { mappedOn: { day, today: parts.today } } : {}),
        // Files read with elements left out of every record: the run's summary counts them.
        ...(page.warnings?.length ? { absentElements: page.warnings } : {}),
      };
      // A caller that can stop the read (its signal) may do so from the page before's callbacks:
      // nothing is committed after it has. Without a signal (the extract worker) the commit does
      // not wait on the queueing.
      if (options.signal) {
        await queued;
        options.signal.throwIfAborted();
      }
      const result = await ledger.commitPage(input).catch((e: unknown) => {
        // Ended since the look above: the commit refused the page and wrote nothing of it.
        throw e instanceof PageRunEnded ? new ExtractRunEnded(e.state, totals) : e;
      });
      return { result, rowsRead };
    };
    let committed: Awaited<ReturnType<typeof commitOnce>>;
    const began = new Date();
    try {
      committed = await commitOnce().catch((e: unknown) => {
        // Mapped before midnight, committed after: mapped again on the new day, whose derived
        // expiry agrees with the day's lifecycle tick. A day turns once, so once is enough.
        if (!(e instanceof PageMappedOnAnotherDay)) throw e;
        options.logger.info(
          { pipeline: parts.name, runId: options.runId },
          'extract: the day turned; page mapped again',
        );
        return commitOnce();
      });
    } catch (e) {
      if (recheck && e instanceof StateGuardMoved) {
        // Another copy committed its re-read since this copy chose its keys.
        logSkipped(options.logger, { pipeline: parts.name, runId: options.runId, keys: recheck.keys });
        return true;
      }
      if (!(e instanceof CheckpointMoved)) throw e;
      options.logger.warn(
        { pipeline: parts.name, runId: options.runId, movedBy: e.movedBy },
        e.forgotten
          ? "extract: the pipeline's checkpoint was forgotten (source forget) since this page was read; this run reads no further, the next reads the source from the start"
          : 'extract: another run of the pipeline moved its checkpoint past this page; this run reads no further',
      );
      await queuedBefore(e);
      return false;
    }
    if (committed === null) {
      if (recheck) await passShare(ledger, recheck.guard);
      return true;
    }
    follows = page.checkpoint;
    if (committed.result.created.length > 0) issuedAt = began;
    // Test hook (core/crash-point.ts): a crash right after a page is in the ledger, before its jobs.
    crashPoint('extract-page-committed');
    totals.pages += 1;
    totals.read += committed.rowsRead;
    totals.created += committed.result.created.length;
    totals.unchanged += committed.result.unchanged;
    totals.quarantined += committed.result.quarantined;
    options.logger.debug(
      { pipeline: parts.name, runId: options.runId, page: totals.pages, rows: page.rows.length },
      'extract: page committed',
    );
    await queued;
    const { created } = committed.result;
    const progress = { read: totals.read, created: totals.created, pages: totals.pages };
    queued = (async () => {
      if (created.length > 0) await options.onPage(created);
      await options.onProgress?.(progress);
    })();
    // Handled where it is awaited: at the next page, at the end, or as the loop throws.
    queued.catch(() => undefined);
    return true;
  };
  try {
    for await (const page of sourceConfig.read(readOptions)) {
      if (!(await take(page))) return totals;
    }
    // Quarantined rows something other than their own row fixed (../quarantine-recheck.ts), read
    // again by key: one more page of the run, on top of the checkpoint it leaves where it is.
    const again = await readQuarantinedAgain(parts, ledger, {
      startedAt,
      ...(issuedAt ? { issuedAt } : {}),
      // No checkpoint and no page committed: the re-read page has nothing to commit on.
      follows: follows !== null,
      logger: options.logger,
      runId: options.runId,
      ...(options.signal ? { signal: options.signal } : {}),
    }).catch((e: unknown) => {
      if (options.signal?.aborted) throw e;
      // The run's pages are in; the next run tries again.
      options.logger.warn(
        { pipeline: parts.name, runId: options.runId, error: errorLine(e) },
        'extract: quarantined rows could not be read again by key; the next run tries again',
      );
      return null;
    });
    if (again && again.rows.read !== false && follows !== null) {
      const { rows, fingerprints } = again.rows;
      // Its checkpoint is the one it follows: the page commits by moving the re-read's state.
      if (rows.length === 0) await passShare(ledger, again.guard);
      else if (!(await take({ rows, checkpoint: follows, ...(fingerprints ? { fingerprints } : {}) }, again)))
        return totals;
    }
    await queued;
  } catch (e) {
    await queuedBefore(e);
    throw e;
  }
  // Read to the end and every page stored: what waits is kept for `licbridge status` to name, and
  // 0 over an earlier run's count clears it (observability/ahead-of-clock.ts).
  if (ahead) await recordAheadOfClock(ledger, config.source, parts.name, { ...ahead, runId: options.runId });
  return totals;
}
