import type { Config } from '../../config/types.js';
import type { SourceConnector } from '../../connectors/source.js';
import type { Logger } from '../../core/logger.js';
import type { Ledger } from '../../ledger/ledger.js';
import { measureLag } from './lag.js';

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
 */
export function startLagProbe(
  config: Readonly<Config>,
  ledger: Ledger,
  source: (name: string) => Promise<SourceConnector>,
  log: Logger,
): LagProbe {
  const values = new Map<string, number>();
  const failed = new Map<string, string>();
  let running: Promise<void> | undefined;
  const measure = async () => {
    for (const [name, p] of Object.entries(config.pipelines)) {
      try {
        const lag = await measureLag(await source(p.source), p.stream, await ledger.getCheckpoint(name), {
          limit: config.metrics.lagLimit,
          pageSize: p.pageSize,
        });
        values.set(name, lag.rows);
        failed.delete(name);
      } catch (e) {
        const message = e instanceof Error ? e.message : String(e);
        values.delete(name);
        failed.set(name, message);
        log.warn({ pipeline: name, err: { message } }, 'metrics: lag not measured');
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
