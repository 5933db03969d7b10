/**
 * `licbridge run` asked to stop (SIGTERM, SIGINT) once its work was done, while it emptied its
 * queues or made the light check (pipelines/run-settle.ts): the signal waited for both, up to 30 s
 * for the queues and a read of the whole source for the check — minutes on a large one — before
 * the stop began. Now the check is not made (the summary says so and names
 * `licbridge reconcile`), and the queues are left to the next run. Needs Redis.
 */
import { afterAll, expect, it, vi } from 'vitest';
import { loadConfig } from '../../config/loader.js';
import { createLogger } from '../../core/logger.js';
import { runPipelines } from '../../pipelines/run-pipelines.js';
import { createDemoWorkspace, type DemoWorkspace } from '../support/demo-workspace.js';

const PIPELINE = 'food-business-licenses';
let ws: DemoWorkspace | undefined;
const stop = new AbortController();

// The signal comes as the light check begins: the run's work is done and in the ledger.
vi.mock('../../pipelines/reconcile/reconcile.js', async (original) => {
  const real = await original<typeof import('../../pipelines/reconcile/reconcile.js')>();
  return {
    ...real,
    reconcilePipeline: (...args: Parameters<typeof real.reconcilePipeline>) => {
      stop.abort('SIGTERM');
      return real.reconcilePipeline(...args);
    },
  };
});

afterAll(async () => {
  await ws?.cleanup();
});

it('a run stopped once its work is done makes no light check and says so', async () => {
  ws = await createDemoWorkspace({ rows: 40 });
  const config = await loadConfig({ file: ws.configFile, env: {} });
  const summaries = await runPipelines(config, {
    pipelines: [PIPELINE],
    full: false,
    logger: createLogger({ level: 'silent' }),
    stop: stop.signal,
  });
  expect(stop.signal.aborted).toBe(true);
  expect(summaries).toHaveLength(1);
  expect(summaries[0]?.state).toBe('done');
  expect(summaries[0]?.check).toEqual({
    error: `light check: not made, the run was stopped (SIGTERM); run \`licbridge reconcile ${PIPELINE}\``,
  });
});
