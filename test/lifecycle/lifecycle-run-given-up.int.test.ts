/**
 * `licbridge lifecycle run` that gives up (here its Redis takes the tick's versions and stops
 * answering, and the queuing's bound runs out) left the run its tick recorded `running` in the
 * ledger: the run has no owning process, so nothing closed it, and `status` showed a run under way
 * that nobody drove. It now ends it as `licbridge run` ends the runs it gives up on
 * (pipelines/run-given-up.ts): its extraction over (the day's expiries recorded), `abandoned`,
 * naming the command and what is left for a later run.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { loadConfig } from '../../config/loader.js';
import { createLogger } from '../../core/logger.js';
import { openLedger } from '../../ledger/open-ledger.js';
import { runLifecycle } from '../../pipelines/lifecycle/run-tick.js';
import { runPipelines } from '../../pipelines/run-pipelines.js';
import { createDemoWorkspace, type DemoWorkspace } from '../support/demo-workspace.js';
import { outcomeWithin, type SilentProxy, silentProxy } from '../support/silent-proxy.js';
import { until } from '../support/until.js';

const PIPELINE = 'food-business-licenses';
const logger = createLogger({ level: process.env.LB_TEST_LOG ?? 'silent' });
let ws: DemoWorkspace | undefined;
let proxy: SilentProxy | undefined;

afterAll(async () => {
  await proxy?.close();
  await ws?.cleanup();
});

it('a lifecycle run that gives up ends the run its tick recorded', async () => {
  ws = await createDemoWorkspace({ rows: 20 });
  // Silent from the first command naming the pipeline in a job's data: the tick's versions queued.
  proxy = await silentProxy(6379, /"pipeline":"food-business-licenses"/);
  const [run] = await runPipelines(await loadConfig({ file: ws.configFile, env: {} }), {
    pipelines: [PIPELINE],
    full: false,
    logger,
  });
  expect(run?.state).toBe('done');
  const text = await readFile(ws.configFile, 'utf8');
  await writeFile(ws.configFile, text.replace('redis://127.0.0.1:6379', `redis://127.0.0.1:${proxy.port}`));
  const config = await loadConfig({ file: ws.configFile, env: process.env });

  // A day after every demo license's last valid day: the tick expires every valid one.
  const tick = runLifecycle(config, { logger, today: '2099-01-01', idleTimeoutMs: 6000 });
  await until(() => (proxy?.silenced ?? 0) > 0, 30_000, { what: "the tick's versions queued" });
  proxy.silence();
  const outcome = await outcomeWithin(60_000, tick);
  expect(outcome).toMatchObject({ code: 'LB_QUEUE_UNREACHABLE' });

  const ledger = await openLedger(`sqlite://${join(ws.dir, 'data', 'ledger.db')}`);
  try {
    const runId = (await ledger.lifecycleWatermark(PIPELINE))?.runId;
    expect(runId).toMatch(/^lifecycle-2099-01-01-/);
    const ticked = await ledger.getRun(runId as string);
    expect(ticked?.state).toBe('abandoned');
    expect(ticked?.error).toMatch(
      /^its extraction was complete; then `licbridge lifecycle run` stopped before its versions were signed and delivered: lifecycle run: queuing the tick's versions got no answer from Redis/,
    );
    expect(await ledger.runningRuns()).toEqual([]);
  } finally {
    await ledger.close();
  }
}, 90_000);
