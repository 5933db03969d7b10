/**
 * A full check told to stop (SIGTERM to a scheduled check, Ctrl-C) stops reading the source at its
 * next page, whether the connector heeds the signal it is given or not, and stores no report: the
 * rows read by then are not the source. A connector that ends its stream quietly when stopped (a
 * plugin of its own kind) gave a partial read the check took for the whole source, every license
 * past the stop `deleted-at-source` in a stored report; one that ignores the signal was read to its
 * end (minutes on a large source) before the check gave up.
 */
import { describe, expect, it } from 'vitest';
import type { PlatformRecord, TargetAdapter } from '../../adapters/platforms/target.js';
import type { BucketRows, Page, SourceConnector } from '../../connectors/source.js';
import { createLogger } from '../../core/logger.js';
import { checkPlatform } from '../../pipelines/reconcile/platform-side.js';
import { reconcilePipeline } from '../../pipelines/reconcile/reconcile.js';
import { Runtime } from '../../pipelines/runtime.js';
import { demoRunOnce } from '../support/demo-run-once.js';

const logger = createLogger({ level: 'silent' });
const PIPELINE = 'food-business-licenses';
/** Pages of 10 rows: the stop comes after the second, with the most rows still to read. */
const PAGE = 10;

describe('reconcile: a full check told to stop', () => {
  const demo = demoRunOnce({ rows: 60, seed: 11 }, PIPELINE);

  /** The demo's rows, read once, in pages of PAGE. */
  const demoPages = async (source: SourceConnector, rt: Runtime): Promise<Page[]> => {
    const parts = await rt.pipeline(PIPELINE);
    const pages: Page[] = [];
    for await (const page of source.read({
      stream: parts.config.stream,
      after: null,
      pageSize: PAGE,
      record: false,
    })) {
      pages.push(page);
    }
    return pages;
  };

  /** Runs a full check whose source is `source(stop)`; what it failed with, and the reports stored. */
  const stopped = async (
    source: (original: SourceConnector, pages: Page[], stop: AbortController) => Partial<SourceConnector>,
  ) => {
    const rt = new Runtime(demo.config, logger);
    const stop = new AbortController();
    try {
      const parts = await rt.pipeline(PIPELINE);
      const pages = await demoPages(parts.source, rt);
      expect(pages.length).toBeGreaterThan(3);
      const before = (await (await rt.ledger()).getReports({ pipeline: PIPELINE })).length;
      Object.assign(parts.source, source(parts.source, pages, stop));
      const failure = await reconcilePipeline(rt, {
        pipeline: PIPELINE,
        targets: [],
        signal: stop.signal,
      }).then(
        () => undefined,
        (e: unknown) => e,
      );
      const after = (await (await rt.ledger()).getReports({ pipeline: PIPELINE })).length;
      return { failure, stored: after - before };
    } finally {
      await rt.close();
    }
  };

  it('without bucket digests: asks a connector that ignores the signal for no page after the stop', async () => {
    let read = 0;
    const { failure, stored } = await stopped((_, pages, stop) => ({
      bucketDigests: undefined,
      readBuckets: undefined,
      async *read() {
        for (const page of pages) {
          read += 1;
          if (read === 2) stop.abort('SIGTERM');
          yield page;
        }
      },
    }));
    expect(failure).toBe('SIGTERM');
    expect(read).toBe(2);
    expect(stored).toBe(0);
  });

  it('without bucket digests: does not take a stream that ends when stopped for the whole source', async () => {
    const { failure, stored } = await stopped((_, pages, stop) => ({
      bucketDigests: undefined,
      readBuckets: undefined,
      // A connector of its own kind: nothing else it is asked after the read heeds the signal either.
      keysAheadOfClock: undefined,
      async *read(options) {
        for (const [i, page] of pages.entries()) {
          if (options.signal?.aborted) return;
          if (i === 1) stop.abort('SIGTERM');
          yield page;
        }
      },
    }));
    expect(failure).toBe('SIGTERM');
    expect(stored).toBe(0);
  });

  it('by buckets: asks a connector that ignores the signal for no drilled chunk after the stop', async () => {
    let read = 0;
    const { failure, stored } = await stopped((original, pages, stop) => {
      const digests = original.bucketDigests?.bind(original);
      return {
        // Every bucket's digest one row off: every bucket is read in detail.
        bucketDigests: async (stream, options) =>
          (await digests?.(stream, options))?.map((d) => ({ ...d, count: d.count + 1 })) ?? [],
        async *readBuckets(): AsyncIterable<BucketRows> {
          for (const page of pages) {
            read += 1;
            if (read === 2) stop.abort('SIGTERM');
            yield { rows: page.rows };
          }
        },
      };
    });
    expect(failure).toBe('SIGTERM');
    expect(read).toBe(2);
    expect(stored).toBe(0);
  });
});

describe('reconcile: a platform check told to stop', () => {
  const demo = demoRunOnce({ rows: 30, seed: 12 }, PIPELINE);

  /** The province as it is, listed in pages of PAGE, by an adapter that does with the signal what `listed` does. */
  const check = async (
    listed: (
      pages: PlatformRecord[][],
      stop: AbortController,
      signal?: AbortSignal,
    ) => AsyncIterable<PlatformRecord[]>,
    /** A target without a listing: its lookup, made of the province's. */
    lookupOnly?: (province: TargetAdapter, stop: AbortController) => TargetAdapter['lookup'],
  ) => {
    const rt = new Runtime(demo.config, logger);
    const stop = new AbortController();
    try {
      const province = await rt.target('province');
      const pages: PlatformRecord[][] = [];
      for await (const page of province.list?.({ chunkSize: PAGE }) ?? []) pages.push(page);
      expect(pages.length).toBeGreaterThan(2);
      const adapter: TargetAdapter = {
        name: province.name,
        kind: province.kind,
        deliver: (items) => province.deliver(items),
        close: () => province.close(),
        ...(lookupOnly
          ? { lookup: lookupOnly(province, stop) }
          : { list: (options?: { signal?: AbortSignal }) => listed(pages, stop, options?.signal) }),
      };
      return await checkPlatform({
        ledger: await rt.ledger(),
        pipeline: PIPELINE,
        adapter,
        licensePrefix: '1.2.156.3005.2.',
        pageSize: PAGE,
        signal: stop.signal,
      }).then(
        (c) => c.differences.map((d) => d.kind),
        (e: unknown) => e,
      );
    } finally {
      await rt.close();
    }
  };

  it('does not take a listing that ends when stopped for all the platform holds', async () => {
    const failure = await check(async function* (pages, stop, signal) {
      for (const [i, page] of pages.entries()) {
        if (signal?.aborted) return;
        if (i === 1) stop.abort('SIGTERM');
        yield page;
      }
    });
    expect(failure).toBe('SIGTERM');
  });

  it('asks a target without a listing for no page of licenses after the stop', async () => {
    let asked = 0;
    const failure = await check(
      async function* () {},
      (province, stop) => async (ids) => {
        asked += 1;
        if (asked === 1) stop.abort('SIGTERM');
        return (await province.lookup?.(ids)) ?? [];
      },
    );
    expect(failure).toBe('SIGTERM');
    expect(asked).toBe(1);
  });
});
