/**
 * `licbridge lifecycle run --today <past>` for a day ticked already whose tick died after
 * recording it, while a later day's tick died too (`owedUnder`): the command sends what the
 * pipeline owes under that later run. Its progress was read from its own run's deliveries only,
 * of which it has none, so it never changed: the first look for idleness that fell in a retry's
 * back-off ended the command "nothing moved", deliveries still going out. The pipeline's backlog
 * is part of its progress now, and the command waits until it is sent.
 */
import { randomUUID } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startProvinceSimulator } from '../../adapters/simulators/province/province-simulator.js';
import { loadConfig } from '../../config/loader.js';
import type { Config } from '../../config/types.js';
import { addDays } from '../../core/local-date.js';
import { createLogger } from '../../core/logger.js';
import { runLifecycle } from '../../pipelines/lifecycle/run-tick.js';
import { lifecycleTick } from '../../pipelines/lifecycle/tick.js';
import { runPipelines } from '../../pipelines/run-pipelines.js';
import { Runtime } from '../../pipelines/runtime.js';
import { createDemoWorkspace, DEMO_SECRET, type DemoWorkspace } from '../support/demo-workspace.js';

const logger = createLogger({ level: process.env.LB_TEST_LOG ?? 'silent' });
const PIPELINE = 'food-business-licenses';
const FIRST_DAY = '2022-06-01';
/** The real today of the ticks: after every demo license's last valid day. */
const TODAY = '2099-01-05';

describe('lifecycle run of a past day under a later tick’s run, its platform failing now and then', () => {
  let ws: DemoWorkspace;
  let config: Readonly<Config>;
  let sim: Awaited<ReturnType<typeof startProvinceSimulator>>;
  const savedToday = process.env.LICBRIDGE_TODAY;

  beforeAll(async () => {
    ws = await createDemoWorkspace({ rows: 80 });
    process.env.LICBRIDGE_TODAY = FIRST_DAY;
    const first = await loadConfig({ file: ws.configFile, env: {} });
    const [s] = await runPipelines(first, { pipelines: [PIPELINE], full: false, logger });
    expect(s?.state).toBe('done');
    // A platform answering 503 to about one request in five: each such delivery waits out a
    // back-off of at most 300 ms, no worker holding its job, while the others go out.
    sim = await startProvinceSimulator({
      port: 0,
      auth: { appKey: 'test-app', secret: DEMO_SECRET },
      faults: { errorRate: 0.2, seed: 5 },
    });
    const yaml = await readFile(ws.configFile, 'utf8');
    await writeFile(
      ws.configFile,
      yaml
        .replace(ws.simulator.url, sim.url)
        .replace(
          '    kind: rest-json\n',
          '    kind: rest-json\n    batchSize: 1\n    attempts: 50\n    backoffMs: 100\n    maxBackoffMs: 300\n',
        ),
    );
    config = await loadConfig({ file: ws.configFile, env: {} });
  }, 120_000);

  afterAll(async () => {
    if (savedToday === undefined) delete process.env.LICBRIDGE_TODAY;
    else process.env.LICBRIDGE_TODAY = savedToday;
    await sim?.close();
    await ws?.cleanup();
  });

  it('waits while the backlog goes down, and ends once it is sent', async () => {
    process.env.LICBRIDGE_TODAY = TODAY;
    const past = addDays(TODAY, -10);
    const rt = new Runtime(config, logger);
    try {
      const first = await lifecycleTick(rt, { today: past, pipelines: [PIPELINE] });
      const due = first.pipelines[0]?.expired ?? 0;
      expect(due).toBeGreaterThan(0);
      const ledger = await rt.ledger();
      const later = { owner: 'gone-host 4242', runId: `lifecycle-${addDays(past, 1)}-${randomUUID()}` };
      await ledger.beginLifecycleTick({ pipeline: PIPELINE, day: addDays(past, 1), ...later });

      const again = await runLifecycle(config, {
        logger,
        today: past,
        pipelines: [PIPELINE],
        idleTimeoutMs: 1500,
      });
      expect(again.pipelines).toEqual([
        expect.objectContaining({ outcome: 'done-today', owedUnder: later.runId }),
      ]);
      expect(sim.stats().accepted).toBe(due);
      expect((await ledger.getRun(first.pipelines[0]?.runId as string))?.state).toBe('done');
    } finally {
      await rt.close();
    }
  }, 120_000);
});
