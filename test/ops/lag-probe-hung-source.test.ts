/**
 * The lag probe of `licbridge serve` gives up a measurement the source does not finish within
 * `metrics.lagIntervalMs` (a database that took the connection and never answers): the pipeline's
 * number is dropped and the failure kept, as for a source that refused, and the pipelines after it
 * are measured. The probe waited for ever: every later tick joined the hung measurement, so the
 * gauge and `status` went on showing the last number as the rows piled up, and no other pipeline
 * was measured again.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Config } from '../../config/types.js';
import type { Page, ReadOptions, SourceConnector } from '../../connectors/source.js';
import { createLogger } from '../../core/logger.js';
import type { Ledger } from '../../ledger/ledger.js';
import { startLagProbe } from '../../pipelines/observability/lag-probe.js';

/** A source answering `rows` rows in one page, or, once `hung.now` is set, nothing until aborted. */
function fakeSource(rows: number, hung: { now: boolean; aborted: boolean }): SourceConnector {
  return {
    async *read(options: ReadOptions): AsyncIterable<Page> {
      if (hung.now) {
        await new Promise<void>((resolve) =>
          options.signal?.addEventListener('abort', () => {
            hung.aborted = true;
            resolve();
          }),
        );
        throw new Error('aborted');
      }
      yield { rows: Array.from({ length: rows }, () => ({})) } as unknown as Page;
    },
  } as unknown as SourceConnector;
}

describe('lag probe: a source that never answers', () => {
  it('gives up at lagIntervalMs, drops the number, keeps why, and measures the next pipeline', async () => {
    const config = {
      sources: { slow: { kind: 'sqlite', path: ':memory:' }, fine: { kind: 'sqlite', path: ':memory:' } },
      pipelines: {
        first: { source: 'slow', stream: { table: 't', key: 'id' } },
        second: { source: 'fine', stream: { table: 't', key: 'id' } },
      },
      metrics: { lagIntervalMs: 200, lagLimit: 100 },
    } as unknown as Config;
    const ledger = { getCheckpoint: async () => null } as unknown as Ledger;
    const hung = { now: false, aborted: false };
    const sources: Record<string, SourceConnector> = {
      slow: fakeSource(5, hung),
      fine: fakeSource(3, { now: false, aborted: false }),
    };
    const probe = startLagProbe(
      config,
      ledger,
      async (name) => sources[name] as SourceConnector,
      createLogger({ level: 'silent' }),
    );
    // The timer's ticks are stopped; measure() still measures.
    probe.close();
    await probe.measure();
    expect(probe.current().get('first')).toBe(5);
    hung.now = true;
    await probe.measure();
    expect(probe.current().has('first')).toBe(false);
    expect(probe.failures().get('first')).toBe(
      'the source answered no page for 200 ms (metrics.lagIntervalMs): the lag was not measured',
    );
    expect(hung.aborted).toBe(true);
    expect(probe.current().get('second')).toBe(3);
  });
});

describe('lag probe: a source slow but answering', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('is measured when every page comes within lagIntervalMs, however long all take', async () => {
    const config = {
      sources: { slow: { kind: 'sqlite', path: ':memory:' } },
      pipelines: { only: { source: 'slow', stream: { table: 't', key: 'id' }, pageSize: 2 } },
      metrics: { lagIntervalMs: 1000, lagLimit: 100 },
    } as unknown as Config;
    const ledger = { getCheckpoint: async () => null } as unknown as Ledger;
    // Six pages of two rows, each a quarter of lagIntervalMs after the last: the whole read takes
    // longer than lagIntervalMs while the source never keeps the probe waiting that long.
    const source = {
      async *read(): AsyncIterable<Page> {
        for (let i = 0; i < 6; i++) {
          await new Promise((resolve) => setTimeout(resolve, 250));
          yield { rows: [{}, {}] } as unknown as Page;
        }
      },
    } as unknown as SourceConnector;
    // On fake timers: the pages' waits and the probe's bound run in the order of their times,
    // without the 1.5 s of real waiting.
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval'] });
    const probe = startLagProbe(config, ledger, async () => source, createLogger({ level: 'silent' }));
    probe.close();
    const measured = probe.measure();
    await vi.advanceTimersByTimeAsync(6 * 250);
    await measured;
    expect(probe.failures().get('only')).toBeUndefined();
    expect(probe.current().get('only')).toBe(12);
  });
});
