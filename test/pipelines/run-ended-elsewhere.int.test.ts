import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../config/loader.js';
import type { Config } from '../../config/types.js';
import { createLogger } from '../../core/logger.js';
import { openLedger } from '../../ledger/open-ledger.js';
import { runPipelines } from '../../pipelines/run-pipelines.js';
import { createDemoWorkspace, type DemoWorkspace } from '../support/demo-workspace.js';

const logger = createLogger({ level: process.env.LB_TEST_LOG ?? 'silent' });
const PIPELINE = 'food-business-licenses';
const REASON = 'the process running it stopped before its work was complete; a later run finishes the work';

/**
 * Another process ended this `licbridge run`'s run `abandoned` while it drove it: a `licbridge
 * run` or scheduled tick on a host whose clock is ahead, or that saw this process's heartbeat go
 * quiet during a long pause, judged it dead. The extract job then reads no further page and the
 * run can never complete. The run says so at once, with the reason the ledger holds, instead of
 * waiting out its idle timeout and ending with `nothing moved`.
 */
describe('a run another process ended abandoned while it ran', () => {
  let ws: DemoWorkspace;
  let config: Readonly<Config>;

  beforeAll(async () => {
    ws = await createDemoWorkspace({ rows: 10 });
    config = await loadConfig({ file: ws.configFile, env: {} });
  });
  afterAll(async () => {
    await ws?.cleanup();
  });

  it('ends failed with the ledger reason, not as a run where nothing moved', async () => {
    const ledger = await openLedger(`sqlite://${join(ws.dir, 'data', 'ledger.db')}`);
    let ended: Promise<unknown> | undefined;
    try {
      // No worker takes the extract job: the run stays unextracted until it is ended elsewhere.
      const summaries = await runPipelines(config, {
        pipelines: [PIPELINE],
        full: false,
        logger,
        workInProcess: false,
        sweepAfterMs: 200,
        idleTimeoutMs: 2000,
        onProgress: (s) => {
          const runId = s[0]?.runId;
          if (runId && !ended) ended = ledger.finishRun(runId, { state: 'abandoned', error: REASON });
        },
      });
      expect(summaries).toHaveLength(1);
      expect(summaries[0]).toMatchObject({
        pipeline: PIPELINE,
        state: 'failed',
        error: `another process ended the run abandoned while this one drove it: ${REASON}`,
      });
      const run = await ledger.getRun(summaries[0]?.runId ?? '');
      expect(run).toMatchObject({ state: 'abandoned', error: REASON });
    } finally {
      await ended;
      await ledger.close();
    }
  }, 30_000);
});
