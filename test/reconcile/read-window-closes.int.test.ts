/**
 * A full check that maps every source row (a source without bucket digests: XML exports, or digests
 * that cannot be trusted) reads the rows as a run does, and a source's read ends where its
 * `readWindow` closes, at a page boundary, as if the table were read out. A check begun inside the
 * window whose read the window cut short took the rows it had for the whole source: every license
 * past them was `deleted-at-source` (and `sourceShrunk`), the report stored, a scheduled check's
 * findings in `status`, and under `deletedAtSource: revoke` a repair's plan. A check whose read the
 * window closed on is not made: it fails, naming the window, and stores no report.
 */
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../config/loader.js';
import type { Config } from '../../config/types.js';
import type { SourceConnector } from '../../connectors/source.js';
import { ErrorCodes, LicbridgeError } from '../../core/errors.js';
import { createLogger } from '../../core/logger.js';
import { reconcilePipeline } from '../../pipelines/reconcile/reconcile.js';
import { runPipelines } from '../../pipelines/run-pipelines.js';
import { Runtime } from '../../pipelines/runtime.js';
import { createDemoWorkspace, type DemoWorkspace } from '../support/demo-workspace.js';
import { hostClock } from '../support/read-window.js';

const logger = createLogger({ level: 'silent' });
const PIPELINE = 'food-business-licenses';

describe('a full check whose source read the read window cuts short', () => {
  let ws: DemoWorkspace;
  let config: Readonly<Config>;
  let windowed: Config;
  let source: string;

  beforeAll(async () => {
    // Two pages of rows (the demo pipeline's pageSize is 100).
    ws = await createDemoWorkspace({ rows: 150, seed: 11 });
    config = await loadConfig({ file: ws.configFile, env: {} });
    const [s] = await runPipelines(config, { pipelines: [PIPELINE], full: false, logger });
    expect(s?.state).toBe('done');
    source = config.pipelines[PIPELINE]?.source as string;
    // Open now, on the host's clock; closed two hours from now.
    windowed = {
      ...config,
      sources: {
        ...config.sources,
        [source]: { ...config.sources[source], readWindow: `${hostClock(-1)}-${hostClock(1)}` },
      },
    } as Config;
  }, 120_000);
  afterAll(async () => {
    await ws?.cleanup();
  });

  const reports = (): unknown => {
    const db = new Database(join(ws.dir, 'data', 'ledger.db'), { readonly: true });
    try {
      return db.prepare('SELECT COUNT(*) AS n FROM reconcile_reports').get();
    } finally {
      db.close();
    }
  };

  /**
   * The check with every row mapped (as for XML exports), the host's clock at `now()`; `cut`: the
   * source's read ends after its first page as the window closes (the clock moves past its end),
   * as a connector's read ends there.
   */
  const check = async (cut: boolean) => {
    let now = new Date();
    const rt = new Runtime(windowed, logger);
    try {
      const parts = await rt.pipeline(PIPELINE);
      const s = parts.source as unknown as Record<string, unknown>;
      s.bucketDigests = undefined;
      s.readBuckets = undefined;
      if (cut) {
        const read = parts.source.read.bind(parts.source);
        (parts.source as { read: SourceConnector['read'] }).read = async function* (options) {
          for await (const page of read(options)) {
            yield page;
            now = new Date(Date.now() + 2 * 3_600_000);
            return;
          }
        };
      }
      return await reconcilePipeline(rt, { pipeline: PIPELINE, clock: () => now });
    } finally {
      await rt.close();
    }
  };

  it('agrees when the window stays open', async () => {
    const report = await check(false);
    expect(report.differences).toBe(0);
  }, 60_000);

  it('fails, storing no report, instead of taking the rows read for the whole source', async () => {
    const before = reports();
    const failure = await check(true).then(
      (r) => r,
      (e: unknown) => e,
    );
    expect(failure).toBeInstanceOf(LicbridgeError);
    expect((failure as LicbridgeError).code).toBe(ErrorCodes.SOURCE_UNREACHABLE);
    expect((failure as Error).message).toContain(`source ${source} is read only in its readWindow`);
    expect((failure as Error).message).toContain('the window closed while the check read the source');
    expect(reports()).toEqual(before);
  }, 60_000);
});
