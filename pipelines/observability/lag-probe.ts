import type { Config } from '../../config/types.js';
import type { Page, ReadOptions, SourceConnector } from '../../connectors/source.js';
import { failureMessage } from '../../core/errors.js';
import type { Logger } from '../../core/logger.js';
import type { Ledger } from '../../ledger/ledger.js';
import { measureLag, outsideReadWindow } from './lag.js';

/** Measures every pipeline's lag in the background; metrics read the last measurement. */
export interface LagProbe {
  /** Rows behind per pipeline, as last measured; a pipeline whose last measurement failed has none. */
  current(): ReadonlyMap<string, number>;
  /** Why the last measurement of a pipeline failed (its source cannot be read), per pipeline. */
  failures(): ReadonlyMap<string, string>;
  /** Measures once now (also what the timer calls). */
  measure(): Promise<void>;
  close(): void;
}

/**
 * Lag needs a read of the department's database, which may be slow or allowed only at night, so
 * it never runs inside a scrape: a timer measures every `lagIntervalMs` and a scrape reports the
 * last numbers. A pipeline whose source fails loses its number until a measurement succeeds again,
 * and the failure is kept: a number kept from before the source went away would go on saying how
 * far behind the pipeline was, while nothing is known (the lag gauge held 0 as the rows piled up),
 * and `licbridge status`'s verdict read from it would say nothing of the source.
 *
 * Outside a source's `readWindow` the source is not asked: it would answer a read with no rows,
 * which counted as 0 behind all day while rows piled up. The number measured in the window stands
 * (no run reads the source either until the window opens again); never measured, there is none.
 * `clock` is the host's, as the source's window is read in.
 */
export function startLagProbe(
  config: Readonly<Config>,
  ledger: Ledger,
  source: (name: string) => Promise<SourceConnector>,
  log: Logger,
  clock: () => Date = () => new Date(),
): LagProbe {
  const values = new Map<string, number>();
  const failed = new Map<string, string>();
  let running: Promise<void> | undefined;
  const bound = config.metrics.lagIntervalMs;
  const measure = async () => {
    for (const [name, p] of Object.entries(config.pipelines)) {
      if (outsideReadWindow(config, p.source, clock())) continue;
      // A database that took the connection and never answers held the probe for ever: every
      // later tick joined the hung measurement, the last number stood as the rows piled up, and
      // no pipeline after it was measured again. A measurement the source keeps waiting
      // `lagIntervalMs` for its next page (or its first) is given up; one whose pages keep coming
      // is waited for, however long all of them take (a large lagLimit, a slow legacy database).
      const stop = new AbortController();
      let giveUp: (e: SourceSilent) => void = () => undefined;
      const silent = new Promise<never>((_, reject) => {
        giveUp = reject;
      });
      let timer: NodeJS.Timeout | undefined;
      let settled = false;
      const arm = () => {
        if (settled) return;
        clearTimeout(timer);
        timer = setTimeout(() => giveUp(new SourceSilent(bound)), bound);
        timer.unref();
      };
      // The checkpoint first, and apart: a ledger that cannot give it (or keeps it waiting past
      // lagIntervalMs) is the ledger's failure, said by status as such. Kept as the source's, every
      // scrape of a ledger outage counted each source unreachable and sent the operator to check
      // connections that were fine.
      let checkpointRead = false;
      const measuring = (async () => {
        let checkpoint: Awaited<ReturnType<Ledger['getCheckpoint']>>;
        try {
          checkpoint = await ledger.getCheckpoint(name);
        } catch (e) {
          throw new CheckpointUnread(e);
        }
        checkpointRead = true;
        // Given up on while the ledger kept it waiting: the source is not read for nobody.
        if (stop.signal.aborted) throw new CheckpointUnread(new Error('given up'));
        const opened = await source(p.source);
        return measureLag(watched(opened, arm), p.stream, checkpoint, {
          limit: config.metrics.lagLimit,
          pageSize: p.pageSize,
          signal: stop.signal,
        });
      })();
      // The abandoned read's own failure, once aborted, is nobody's to hear.
      measuring.catch(() => undefined);
      try {
        if (bound > 0) arm();
        const lag = bound > 0 ? await Promise.race([measuring, silent]) : await measuring;
        values.set(name, lag.rows);
        failed.delete(name);
      } catch (e) {
        // Stopped at its next page boundary (the statement in flight ends at the source's
        // statementTimeoutMs, or when the driver gives up on its connection).
        stop.abort();
        values.delete(name);
        if (e instanceof CheckpointUnread || (e instanceof SourceSilent && !checkpointRead)) {
          // The source was not asked: nothing is known of it, nor of the lag.
          failed.delete(name);
          const message =
            e instanceof CheckpointUnread
              ? failureMessage(e.cause).message
              : `the ledger gave no checkpoint within ${bound} ms (metrics.lagIntervalMs)`;
          log.warn(
            { pipeline: name, err: { message } },
            'metrics: lag not measured: the checkpoint could not be read from the ledger',
          );
          continue;
        }
        // A database may quote the value it could not read, a checkpoint key (a holder's ID,
        // passport number or name) among them: hidden for the log line and for `status` and /metrics.
        const message = e instanceof SourceSilent ? e.message : failureMessage(e).message;
        failed.set(name, message);
        log.warn({ pipeline: name, err: { message } }, 'metrics: lag not measured');
      } finally {
        settled = true;
        clearTimeout(timer);
      }
    }
  };
  const tick = () => {
    running ??= measure().finally(() => {
      running = undefined;
    });
    return running;
  };
  const interval = config.metrics.lagIntervalMs;
  const timer = interval > 0 ? setInterval(() => void tick(), interval) : undefined;
  timer?.unref();
  if (interval > 0) void tick();
  return {
    current: () => values,
    failures: () => failed,
    measure: tick,
    close: () => clearInterval(timer),
  };
}

/** A measurement the source kept waiting `lagIntervalMs` for its next page. */
class SourceSilent extends Error {
  constructor(ms: number) {
    super(`the source answered no page for ${ms} ms (metrics.lagIntervalMs): the lag was not measured`);
  }
}

/** The ledger's failure to give a pipeline's checkpoint, which is no failure of its source. */
class CheckpointUnread extends Error {
  constructor(cause: unknown) {
    super('ledger: the checkpoint could not be read', { cause });
  }
}

/** `source`, its reads calling `onPage` at each page it answers (the rest of it as it is). */
function watched(source: SourceConnector, onPage: () => void): SourceConnector {
  return Object.create(source, {
    read: {
      value: async function* (options: ReadOptions): AsyncIterable<Page> {
        for await (const page of source.read(options)) {
          onPage();
          yield page;
        }
      },
    },
  }) as SourceConnector;
}
