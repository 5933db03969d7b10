/**
 * `licbridge lifecycle run` that dies after recording its day (SIGKILL, a crash between the
 * watermark and the queuing: core/crash-point.ts `lifecycle-tick-recorded`) left its run `running`
 * with no owner: `status` showed it `signing` with nothing signing it, for as long as no tick
 * queued its versions, and the run of a day that expired nothing stayed `running` for good, as
 * no deliver job of it would ever complete it. The command now records its process as the runs'
 * owner and beats for them, so `status` shows such a run `abandoned` once the process is gone,
 * and a later tick completes the earlier runs whose work is done.
 *
 * The process is gone here by its name: the command's runs are owned by a process that has
 * exited, and the death at the crash point is an exception.
 */
import { spawnSync } from 'node:child_process';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it, vi } from 'vitest';
import { loadConfig } from '../../config/loader.js';
import { sealIdOf } from '../../config/seal-id.js';
import { createLogger } from '../../core/logger.js';
import { openLedger } from '../../ledger/open-ledger.js';
import { runLifecycle } from '../../pipelines/lifecycle/run-tick.js';
import { lifecycleJob } from '../../pipelines/lifecycle/tick-job.js';
import { runStage } from '../../pipelines/observability/run-stage.js';
import { createQueues } from '../../pipelines/queues.js';
import { queueConnection } from '../../pipelines/redis.js';
import { runPipelines } from '../../pipelines/run-pipelines.js';
import { Runtime } from '../../pipelines/runtime.js';
import { createDemoWorkspace, type DemoWorkspace } from '../support/demo-workspace.js';

const fault = vi.hoisted(() => ({ armed: false, owner: '' }));

vi.mock('../../core/crash-point.js', () => ({
  crashPoint: (name: string) => {
    if (name === 'lifecycle-tick-recorded' && fault.armed) throw new Error('died (a test fault)');
  },
}));
vi.mock('../../pipelines/run-liveness.js', async (original) => ({
  ...(await original<typeof import('../../pipelines/run-liveness.js')>()),
  processOwner: () => fault.owner,
}));

const PIPELINE = 'food-business-licenses';
const logger = createLogger({ level: 'silent' });
let ws: DemoWorkspace | undefined;

afterAll(async () => {
  await ws?.cleanup();
});

it('a lifecycle run that died after recording its day shows abandoned, and a later tick settles it', async () => {
  // A process that has exited: the command's runs are owned by it.
  const gone = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']);
  fault.owner = `${hostname()} ${String(gone.stdout)}`;
  ws = await createDemoWorkspace({ rows: 10 });
  const config = await loadConfig({ file: ws.configFile, env: {} });
  const [run] = await runPipelines(config, { pipelines: [PIPELINE], full: false, logger });
  expect(run?.state).toBe('done');
  const parts = config.pipelines[PIPELINE];
  if (!parts) throw new Error('expected the demo pipeline');
  const ledger = await openLedger(`sqlite://${join(ws.dir, 'data', 'ledger.db')}`);
  try {
    const died = async (today: string) => {
      fault.armed = true;
      try {
        await expect(runLifecycle(config, { logger, today })).rejects.toThrow(/a test fault/);
      } finally {
        fault.armed = false;
      }
      const mark = await ledger.lifecycleWatermark(PIPELINE);
      expect(mark?.day).toBe(today);
      return mark?.runId as string;
    };

    // A day after every demo license's last valid day: the tick expires every valid one.
    const first = await died('2099-01-01');
    const left = await ledger.getRun(first);
    expect(left?.created).toBeGreaterThan(0);
    // Nothing signs its versions: not `signing`, as status showed it.
    expect(
      await runStage(ledger, left as NonNullable<typeof left>, sealIdOf(config, parts), parts.targets),
    ).toBe('abandoned');
    // The next day's tick sends what it left, and its run is done.
    const next = await runLifecycle(config, { logger, today: '2099-01-02' });
    expect(next.delivery[PIPELINE]).toBeDefined();
    expect((await ledger.getRun(first))?.state).toBe('done');

    // A day that expires nothing, died the same way: no deliver job will ever complete its run.
    const empty = await died('2099-01-03');
    expect((await ledger.getRun(empty))?.created).toBe(0);
    await runLifecycle(config, { logger, today: '2099-01-04' });
    expect((await ledger.getRun(empty))?.state).toBe('done');

    // The scheduled tick settles it the same way.
    const again = await died('2099-01-05');
    const queues = createQueues(queueConnection(config.queue.redis), config.queue.prefix, parts.targets);
    const rt = new Runtime(config, logger);
    try {
      await lifecycleJob(rt, queues, 'lifecycle-tick-1');
    } finally {
      await rt.close();
      await queues.close();
    }
    expect((await ledger.getRun(again))?.state).toBe('done');
    expect(await ledger.runningRuns()).toEqual([]);
  } finally {
    await ledger.close();
  }
}, 120_000);
