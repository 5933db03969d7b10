import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { loadConfig } from '../../config/loader.js';
import type { Config } from '../../config/types.js';
import { createLogger } from '../../core/logger.js';
import { openLedger } from '../../ledger/open-ledger.js';
import type { StoredRun } from '../../ledger/types-runs.js';
import { type RunSummary, runPipelines } from '../../pipelines/run-pipelines.js';
import { createDemoWorkspace, type DemoWorkspace } from '../support/demo-workspace.js';

const logger = createLogger({ level: process.env.LB_TEST_LOG ?? 'silent' });
export const PIPELINE = 'food-business-licenses';

/**
 * A demo workspace of 10 rows for the describe block, and a `licbridge run` of its pipeline (in
 * process, no worker taking the extract job) whose run the ledger ends `abandoned` with `reason` as
 * soon as it is started: what the run's summaries say, and the run as the ledger then holds it.
 */
export function abandonedWhileRun(): (reason: string) => Promise<{
  summaries: RunSummary[];
  run: StoredRun | null;
}> {
  let ws: DemoWorkspace;
  let config: Readonly<Config>;
  beforeAll(async () => {
    ws = await createDemoWorkspace({ rows: 10 });
    config = await loadConfig({ file: ws.configFile, env: {} });
  });
  afterAll(async () => {
    await ws?.cleanup();
  });
  return async (reason) => {
    const ledger = await openLedger(`sqlite://${join(ws.dir, 'data', 'ledger.db')}`);
    let ended: Promise<unknown> | undefined;
    try {
      const summaries = await runPipelines(config, {
        pipelines: [PIPELINE],
        full: false,
        logger,
        workInProcess: false,
        sweepAfterMs: 200,
        idleTimeoutMs: 2000,
        onProgress: (s) => {
          const runId = s[0]?.runId;
          if (runId && !ended) ended = ledger.finishRun(runId, { state: 'abandoned', error: reason });
        },
      });
      const run = await ledger.getRun(summaries[0]?.runId ?? '');
      return { summaries, run };
    } finally {
      await ended;
      await ledger.close();
    }
  };
}
