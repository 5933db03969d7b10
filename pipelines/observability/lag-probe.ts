import type { Config } from '../../config/types.js';
import type { SourceConnector } from '../../connectors/source.js';
import type { Logger } from '../../core/logger.js';
import type { Ledger } from '../../ledger/ledger.js';
import { measureLag } from './lag.js';

/** Measures every pipeline's lag in the background; metrics read the last measurement. */
export interface LagProbe {
  current(): ReadonlyMap<string, number>;
  /** Measures once now (also what the timer calls). */
  measure(): Promise<void>;
  close(): void;
}

/**
 * Lag needs a read of the department's database, which may be slow or allowed only at night, so
 * it never runs inside a scrape: a timer measures every `lagIntervalMs` and a scrape reports the
 * last numbers. A source that fails keeps its last value and is logged.
 */
export function startLagProbe(
  config: Readonly<Config>,
  ledger: Ledger,
  source: (name: string) => Promise<SourceConnector>,
  log: Logger,
): LagProbe {
  const values = new Map<string, number>();
  let running: Promise<void> | undefined;
  const measure = async () => {
    for (const [name, p] of Object.entries(config.pipelines)) {
      try {
        const lag = await measureLag(await source(p.source), p.stream, await ledger.getCheckpoint(name), {
          limit: config.metrics.lagLimit,
          pageSize: p.pageSize,
        });
        values.set(name, lag.rows);
      } catch (e) {
        log.warn(
          { pipeline: name, err: { message: e instanceof Error ? e.message : String(e) } },
          'metrics: lag not measured',
        );
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
    measure: tick,
    close: () => clearInterval(timer),
  };
}
