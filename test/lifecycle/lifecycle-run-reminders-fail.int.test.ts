/**
 * `licbridge lifecycle run` recorded the day's expiries, sent the day's reminders, then queued what
 * the ticked pipelines owe. A reminder step that threw (a ledger read of the pending reminders
 * failing) ended the command before the queuing: the licenses the tick had just expired stayed in
 * the ledger only, and its run stayed `running` with nobody driving it. It now queues them once
 * they are recorded, as the scheduled tick does (tick-job-reminders-fail), and still fails; the
 * run it recorded is ended as a command that gives up ends it.
 */
import { join } from 'node:path';
import { afterAll, afterEach, expect, it, vi } from 'vitest';
import { loadConfig } from '../../config/loader.js';
import { createLogger } from '../../core/logger.js';
import { openLedger } from '../../ledger/open-ledger.js';
import { runLifecycle } from '../../pipelines/lifecycle/run-tick.js';
import { createQueues } from '../../pipelines/queues.js';
import { queueConnection } from '../../pipelines/redis.js';
import { runPipelines } from '../../pipelines/run-pipelines.js';
import { Runtime } from '../../pipelines/runtime.js';
import { createDemoWorkspace, type DemoWorkspace } from '../support/demo-workspace.js';

const PIPELINE = 'food-business-licenses';
const logger = createLogger({ level: 'silent' });
let ws: DemoWorkspace | undefined;

afterEach(() => {
  vi.restoreAllMocks();
});
afterAll(async () => {
  await ws?.cleanup();
});

/** Every runtime's ledger fails its read of the pending reminders from now on. */
function remindersFail(): void {
  const ledger = Runtime.prototype.ledger;
  vi.spyOn(Runtime.prototype, 'ledger').mockImplementation(async function (this: Runtime) {
    const l = await ledger.call(this);
    l.reminders.pending = async () => {
      throw new Error('ledger: pending reminders failed (a test fault)');
    };
    return l;
  });
}

it('queues the day’s expiries before the reminders, fails, and leaves no run running', async () => {
  ws = await createDemoWorkspace({ rows: 10 });
  const config = await loadConfig({ file: ws.configFile, env: {} });
  const [run] = await runPipelines(config, { pipelines: [PIPELINE], full: false, logger });
  expect(run?.state).toBe('done');

  remindersFail();
  // A day after every demo license's last valid day: the tick expires every valid one.
  await expect(runLifecycle(config, { logger, today: '2099-01-01', idleTimeoutMs: 10_000 })).rejects.toThrow(
    /a test fault/,
  );
  vi.restoreAllMocks();

  const queues = createQueues(queueConnection(config.queue.redis), config.queue.prefix, ['province']);
  const ledger = await openLedger(`sqlite://${join(ws.dir, 'data', 'ledger.db')}`);
  try {
    const mark = await ledger.lifecycleWatermark(PIPELINE);
    expect(mark?.day).toBe('2099-01-01');
    expect(mark?.expired).toBeGreaterThan(0);
    // The expire versions are queued for signing, and so for the platforms.
    const signJobs = await queues.sign.getJobs(['waiting', 'delayed', 'prioritized', 'active']);
    expect(signJobs.length).toBeGreaterThan(0);
    // Nobody drives the tick's run any more: it is not left `running`.
    const ticked = await ledger.getRun(mark?.runId as string);
    expect(ticked?.state).toBe('abandoned');
    expect(ticked?.error).toContain('a test fault');
    expect(await ledger.runningRuns()).toEqual([]);
  } finally {
    await ledger.close();
    await queues.close();
  }
}, 90_000);
