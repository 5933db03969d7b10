/**
 * The lag probe of `licbridge serve` reads each pipeline's checkpoint from the ledger before it
 * counts the rows after it. A ledger that cannot be read then is the ledger's failure: the source
 * was not asked, and is not said to be unreachable. It was: the ledger's error was kept as the
 * source's, so every scrape during a ledger outage counted `attention{kind="source-unreachable"}`
 * for every source and `status` (as serve computes it) told the operator to check each
 * `sources.<name>` connection, beside the ledger's own finding, until the next measurement.
 */
import { describe, expect, it } from 'vitest';
import type { Config } from '../../config/types.js';
import type { Page, ReadOptions, SourceConnector } from '../../connectors/source.js';
import { ErrorCodes, LicbridgeError } from '../../core/errors.js';
import { createLogger } from '../../core/logger.js';
import type { Ledger } from '../../ledger/ledger.js';
import { startLagProbe } from '../../pipelines/observability/lag-probe.js';

/** A source answering `rows` rows in one page; `reads` counts the reads it was asked for. */
function countingSource(rows: number, asked: { reads: number }): SourceConnector {
  return {
    async *read(_options: ReadOptions): AsyncIterable<Page> {
      asked.reads += 1;
      yield { rows: Array.from({ length: rows }, () => ({})) } as unknown as Page;
    },
  } as unknown as SourceConnector;
}

const config = {
  sources: { legacy: { kind: 'sqlite', path: ':memory:' } },
  pipelines: { permits: { source: 'legacy', stream: { table: 't', key: 'id' } } },
  metrics: { lagIntervalMs: 60_000, lagLimit: 100 },
} as unknown as Config;

describe('lag probe: the ledger down, the source fine', () => {
  it('keeps no source failure for a checkpoint the ledger could not give, and asks the source nothing', async () => {
    const ledgerState = { down: false };
    const ledger = {
      getCheckpoint: async () => {
        if (ledgerState.down)
          throw new LicbridgeError(ErrorCodes.LEDGER, 'ledger: getCheckpoint: connect ECONNREFUSED');
        return null;
      },
    } as unknown as Ledger;
    const asked = { reads: 0 };
    const source = countingSource(7, asked);
    const probe = startLagProbe(config, ledger, async () => source, createLogger({ level: 'silent' }));
    probe.close();
    await probe.measure();
    expect(probe.current().get('permits')).toBe(7);

    ledgerState.down = true;
    await probe.measure();
    // Nothing is known of the lag while the checkpoint cannot be read.
    expect(probe.current().has('permits')).toBe(false);
    expect(asked.reads).toBe(1);
    // The source is not blamed for the ledger: a failure kept here is what status, as serve computes
    // it, names as the source being unreachable (status-ledger-down-lag-errors.int.test.ts).
    expect(probe.failures().has('permits')).toBe(false);

    ledgerState.down = false;
    await probe.measure();
    expect(probe.current().get('permits')).toBe(7);
    expect(probe.failures().size).toBe(0);
  });

  it('still keeps the failure of a source that cannot be read', async () => {
    const ledger = { getCheckpoint: async () => null } as unknown as Ledger;
    const probe = startLagProbe(
      config,
      ledger,
      async () => {
        throw new Error('connect ECONNREFUSED 10.0.0.9:1521');
      },
      createLogger({ level: 'silent' }),
    );
    probe.close();
    await probe.measure();
    expect(probe.current().has('permits')).toBe(false);
    expect(probe.failures().get('permits')).toMatch(/ECONNREFUSED/);
  });
  it('keeps no source failure for a ledger that keeps the checkpoint waiting past lagIntervalMs', async () => {
    let answer: (v: null) => void = () => undefined;
    const ledger = {
      getCheckpoint: () =>
        new Promise<null>((resolve) => {
          answer = resolve;
        }),
    } as unknown as Ledger;
    const asked = { reads: 0 };
    const source = countingSource(7, asked);
    const probe = startLagProbe(
      { ...config, metrics: { lagIntervalMs: 100, lagLimit: 100 } } as unknown as Config,
      ledger,
      async () => source,
      createLogger({ level: 'silent' }),
    );
    probe.close();
    await probe.measure();
    expect(probe.current().has('permits')).toBe(false);
    expect(probe.failures().has('permits')).toBe(false);
    // Answered after the measurement was given up: the source is not read for nobody.
    answer(null);
    await new Promise((resolve) => setImmediate(resolve));
    expect(asked.reads).toBe(0);
  });
});
