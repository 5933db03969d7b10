/**
 * `licbridge run` asked to stop (SIGTERM, SIGINT) once its work was done, while it emptied its
 * queues or made the light check (pipelines/run-settle.ts): the signal waited for both, up to 30 s
 * for the queues and a read of the whole source for the check — minutes on a large one — before
 * the stop began. Now the check is not made (the summary says so and names
 * `licbridge reconcile`), and the queues are left to the next run. Needs Redis.
 */
import { Writable } from 'node:stream';
import { afterAll, expect, it, vi } from 'vitest';
import { loadConfig } from '../../config/loader.js';
import { createLogger } from '../../core/logger.js';
import { runPipelines } from '../../pipelines/run-pipelines.js';
import { Runtime } from '../../pipelines/runtime.js';
import { createDemoWorkspace, type DemoWorkspace } from '../support/demo-workspace.js';

const PIPELINE = 'food-business-licenses';
let ws: DemoWorkspace | undefined;
const stop = new AbortController();
// The check the run began, followed to its end after the run returned.
let check: Promise<unknown> | undefined;

// The signal comes as the light check begins: the run's work is done and in the ledger.
vi.mock('../../pipelines/reconcile/reconcile.js', async (original) => {
  const real = await original<typeof import('../../pipelines/reconcile/reconcile.js')>();
  return {
    ...real,
    reconcilePipeline: (...args: Parameters<typeof real.reconcilePipeline>) => {
      stop.abort('SIGTERM');
      check = real.reconcilePipeline(...args);
      return check;
    },
  };
});

afterAll(async () => {
  await ws?.cleanup();
});

it('a run stopped once its work is done makes no light check and says so', async () => {
  ws = await createDemoWorkspace({ rows: 40 });
  const config = await loadConfig({ file: ws.configFile, env: {} });
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk, _enc, done) {
      lines.push(...chunk.toString().split('\n').filter(Boolean));
      done();
    },
  });
  const summaries = await runPipelines(config, {
    pipelines: [PIPELINE],
    full: false,
    logger: createLogger({ level: 'warn', destination: sink }),
    stop: stop.signal,
  });
  expect(stop.signal.aborted).toBe(true);
  expect(summaries).toHaveLength(1);
  expect(summaries[0]?.state).toBe('done');
  expect(summaries[0]?.check).toEqual({
    error: `light check: not made, the run was stopped (SIGTERM); run \`licbridge reconcile ${PIPELINE}\``,
  });
  // The check cut off stops reading and stores no report, and what ends it is no failure to warn
  // of: it read on, and either stored a report the summary said was not made or, its connections
  // closed under it, logged 'run: light check failed' after the summary.
  await check?.catch(() => undefined);
  await new Promise((r) => setImmediate(r));
  expect(lines.filter((l) => l.includes('light check failed'))).toEqual([]);
  const rt = new Runtime(config, createLogger({ level: 'silent' }));
  try {
    expect(await (await rt.ledger()).getReports({ pipeline: PIPELINE })).toEqual([]);
  } finally {
    await rt.close();
  }
});
