/**
 * `licbridge lifecycle run --today <past>` for a day ticked already (`done-today`), whose tick died
 * after recording it, while the tick of a later day that began since died too: the watermark names
 * that later tick's run. The command neither reports nor holds that run as its own
 * (tick-done-today-other-run), but it queued nothing either, and the past day's `expire` versions
 * stayed unsigned — expired in the ledger, valid at the platform — with no tick under way to send
 * them. It now sends what the pipeline owes, holding no run and counting none of it as its own.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../config/loader.js';
import type { Config } from '../../config/types.js';
import { addDays } from '../../core/local-date.js';
import { createLogger } from '../../core/logger.js';
import { runLifecycle } from '../../pipelines/lifecycle/run-tick.js';
import { lifecycleTick } from '../../pipelines/lifecycle/tick.js';
import { runPipelines } from '../../pipelines/run-pipelines.js';
import { Runtime } from '../../pipelines/runtime.js';
import { createDemoWorkspace, type DemoWorkspace } from '../support/demo-workspace.js';

const logger = createLogger({ level: process.env.LB_TEST_LOG ?? 'silent' });
const PIPELINE = 'food-business-licenses';
const FIRST_DAY = '2022-06-01';
/** The real today of the ticks: after every demo license's last valid day. */
const TODAY = '2099-01-05';

describe('lifecycle run of a past day while the later day’s tick died', () => {
  let ws: DemoWorkspace;
  let config: Readonly<Config>;
  const savedToday = process.env.LICBRIDGE_TODAY;

  beforeAll(async () => {
    ws = await createDemoWorkspace({ rows: 10 });
    config = await loadConfig({ file: ws.configFile, env: {} });
    process.env.LICBRIDGE_TODAY = FIRST_DAY;
    const [s] = await runPipelines(config, { pipelines: [PIPELINE], full: false, logger });
    expect(s?.state).toBe('done');
  }, 120_000);

  afterAll(async () => {
    if (savedToday === undefined) delete process.env.LICBRIDGE_TODAY;
    else process.env.LICBRIDGE_TODAY = savedToday;
    await ws?.cleanup();
  });

  it('sends what the past day’s tick left, and holds none of the later tick’s run', async () => {
    process.env.LICBRIDGE_TODAY = TODAY;
    const past = addDays(TODAY, -4);
    const rt = new Runtime(config, logger);
    const accepted = ws.simulator.stats().accepted;
    try {
      // The past day's tick records its day and dies before queuing anything.
      const first = await lifecycleTick(rt, { today: past, pipelines: [PIPELINE] });
      expect(first.pipelines).toEqual([expect.objectContaining({ outcome: 'ticked' })]);
      const due = first.pipelines[0]?.expired ?? 0;
      expect(due).toBeGreaterThan(0);

      // The next day's tick, begun by a `lifecycle run` on another host that then died.
      const later = { owner: 'gone-host 4242', runId: `lifecycle-${addDays(past, 1)}-${randomUUID()}` };
      const ledger = await rt.ledger();
      await ledger.beginLifecycleTick({ pipeline: PIPELINE, day: addDays(past, 1), ...later });

      const again = await runLifecycle(config, { logger, today: past, pipelines: [PIPELINE] });
      expect(again.pipelines).toEqual([
        expect.objectContaining({ outcome: 'done-today', coveredBy: past, runId: null }),
      ]);
      expect(ws.simulator.stats().accepted).toBe(accepted + due);
      // The past day's run, its versions delivered, is done.
      expect((await ledger.getRun(first.pipelines[0]?.runId as string))?.state).toBe('done');
      // Not its deliveries to count, nor its run to hold.
      expect(again.delivery[PIPELINE]).toBeUndefined();
      expect((await ledger.getRun(later.runId))?.owner).toBe(later.owner);
    } finally {
      await rt.close();
    }
  }, 120_000);
});
