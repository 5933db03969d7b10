import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../config/loader.js';
import type { Config } from '../../config/types.js';
import { createLogger } from '../../core/logger.js';
import { openLedger } from '../../ledger/open-ledger.js';
import { runPipelines } from '../../pipelines/run-pipelines.js';
import { EXTRACTED_UNMARKED } from '../../pipelines/workers/extract-worker.js';
import { createDemoWorkspace, type DemoWorkspace } from '../support/demo-workspace.js';

const logger = createLogger({ level: process.env.LB_TEST_LOG ?? 'silent' });
const PIPELINE = 'food-business-licenses';
// As the extract job writes it when, given up after its last page, the ledger refuses the run's
// extracted mark (pipelines/workers/extract-worker.ts).
const REASON = `${EXTRACTED_UNMARKED}: ledger: markExtracted failed: connection lost; its versions go on to be signed and delivered, and a later run finishes the work`;

/**
 * A `licbridge run` whose run its own extract job ended `abandoned` (given up after its last page,
 * the ledger refusing the extracted mark) was told that another process had ended it while this one
 * drove it: no other process had. The summary now says it as the run's stored reason does.
 */
describe('a run its own extract job ended abandoned under licbridge run', () => {
  let ws: DemoWorkspace;
  let config: Readonly<Config>;

  beforeAll(async () => {
    ws = await createDemoWorkspace({ rows: 10 });
    config = await loadConfig({ file: ws.configFile, env: {} });
  });
  afterAll(async () => {
    await ws?.cleanup();
  });

  it('is described by its stored reason, not as ended by another process', async () => {
    const ledger = await openLedger(`sqlite://${join(ws.dir, 'data', 'ledger.db')}`);
    let ended: Promise<unknown> | undefined;
    try {
      // No worker takes the extract job: the run is ended as its own job would end it.
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
      const error = summaries[0]?.error ?? '';
      expect(error).not.toMatch(/another process/);
      expect(error).toBe(`the run ended abandoned: ${REASON}`);
      const run = await ledger.getRun(summaries[0]?.runId ?? '');
      expect(run).toMatchObject({ state: 'abandoned', error: REASON });
    } finally {
      await ended;
      await ledger.close();
    }
  }, 30_000);
});
