/**
 * `licbridge lifecycle run` beside a platform that accepts first and judges later: every send is
 * answered `submitted`, and the verdict comes from later status requests, here never. The tick's
 * own work is done once its versions are signed and sent; the platform's review is not a fault.
 * `licbridge run` ends `in-review` after the target's `reviewWaitMs` (run-review.ts); the tick
 * waited instead until nothing had moved for its idle timeout and failed with "nothing moved",
 * exit 1, as though its workers had stalled.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  type ProvinceSimulator,
  startProvinceSimulator,
} from '../../adapters/simulators/province/province-simulator.js';
import { lifecycleRunExitCode, lifecycleRunText } from '../../cli/commands/lifecycle-run-output.js';
import { loadConfig } from '../../config/loader.js';
import { createLogger } from '../../core/logger.js';
import { runLifecycle } from '../../pipelines/lifecycle/run-tick.js';
import { runPipelines } from '../../pipelines/run-pipelines.js';
import {
  createDemoWorkspace,
  DEMO_SECRET,
  type DemoWorkspace,
  demoConfigYaml,
} from '../support/demo-workspace.js';

const logger = createLogger({ level: process.env.LB_TEST_LOG ?? 'silent' });
const PIPELINE = 'food-business-licenses';

describe('lifecycle run with a platform still reviewing what the tick sent', () => {
  let ws: DemoWorkspace | undefined;
  let platform: ProvinceSimulator | undefined;
  afterEach(async () => {
    await platform?.close();
    await ws?.cleanup();
  });

  it('ends once only the reviews are left and reviewWaitMs passed, saying what is in review', async () => {
    ws = await createDemoWorkspace({ rows: 20 });
    const stateFile = join(ws.dir, 'data', 'platform.db');
    // The licenses read and accepted first, by the platform before it reviewed anything.
    const before = await startProvinceSimulator({
      port: 0,
      auth: { appKey: 'test-app', secret: DEMO_SECRET },
      stateFile,
    });
    await writeFile(ws.configFile, demoConfigYaml({ prefix: ws.prefix, simulatorUrl: before.url }));
    const first = await loadConfig({ file: ws.configFile, env: {} });
    const [run] = await runPipelines(first, {
      pipelines: [PIPELINE],
      full: false,
      logger,
      idleTimeoutMs: 5000,
    });
    expect(run?.state).toBe('done');
    await before.close();
    // The same platform, reviewing from now on.
    platform = await startProvinceSimulator({
      port: 0,
      auth: { appKey: 'test-app', secret: DEMO_SECRET },
      stateFile,
      review: { polls: 1_000_000 },
    });
    await writeFile(ws.configFile, demoConfigYaml({ prefix: ws.prefix, simulatorUrl: platform.url }));
    const loaded = await loadConfig({ file: ws.configFile, env: {} });
    const province = { ...loaded.targets.province, reviewWaitMs: 2500 } as (typeof loaded.targets)[string];
    const config = { ...loaded, targets: { ...loaded.targets, province } };

    // A day after every demo license's last valid day: the tick expires every valid one.
    const summary = await runLifecycle(config, {
      logger,
      today: '2099-01-01',
      pipelines: [PIPELINE],
      idleTimeoutMs: 1000,
    });
    const tick = summary.pipelines[0];
    expect(tick?.outcome).toBe('ticked');
    expect(tick?.expired).toBeGreaterThan(0);
    const delivery = summary.delivery[PIPELINE];
    expect(delivery?.signed).toBe(tick?.expired);
    expect(delivery?.delivered.province ?? 0).toBe(0);
    // What the pipeline owes is the tick's versions, which the platform reviews.
    expect(summary.inReview).toEqual({ [PIPELINE]: { province: tick?.expired } });
    expect(lifecycleRunText(summary)).toContain(`still in review: province ${tick?.expired}`);
    expect(lifecycleRunExitCode(summary)).toBeUndefined();
    // Nothing more accepted than the run's versions: the tick's are all under review.
    expect(platform.stats().accepted).toBe(run?.delivered.province);
  }, 60_000);
  it('counts the versions held behind an earlier version in review as in review, not as nothing moved', async () => {
    ws = await createDemoWorkspace({ rows: 20 });
    // Reviewing from the start: the licenses' first versions are all still in review.
    platform = await startProvinceSimulator({
      port: 0,
      auth: { appKey: 'test-app', secret: DEMO_SECRET },
      stateFile: join(ws.dir, 'data', 'platform.db'),
      review: { polls: 1_000_000 },
    });
    await writeFile(ws.configFile, demoConfigYaml({ prefix: ws.prefix, simulatorUrl: platform.url }));
    const loaded = await loadConfig({ file: ws.configFile, env: {} });
    const province = { ...loaded.targets.province, reviewWaitMs: 2500 } as (typeof loaded.targets)[string];
    const config = { ...loaded, targets: { ...loaded.targets, province } };
    const [run] = await runPipelines(config, {
      pipelines: [PIPELINE],
      full: false,
      logger,
      sweepAfterMs: 200,
      idleTimeoutMs: 1000,
    });
    expect(run?.state).toBe('in-review');
    expect(run?.inReview).toEqual({ province: 20 });

    // The tick's expiring versions are held behind those first versions (version n goes once n − 1
    // is accepted): neither sent nor submitted, they wait on the same review.
    const summary = await runLifecycle(config, {
      logger,
      today: '2099-01-01',
      pipelines: [PIPELINE],
      idleTimeoutMs: 1000,
    });
    const tick = summary.pipelines[0];
    expect(tick?.outcome).toBe('ticked');
    const expired = tick?.expired ?? 0;
    expect(expired).toBeGreaterThan(0);
    expect(summary.delivery[PIPELINE]?.signed).toBe(expired);
    expect(summary.inReview).toEqual({ [PIPELINE]: { province: 20 + expired } });
    expect(lifecycleRunText(summary)).toContain(`still in review: province ${20 + expired}`);
    expect(lifecycleRunExitCode(summary)).toBeUndefined();
    // Nothing accepted, and no expired version sent ahead of its first version's verdict.
    expect(platform.stats().accepted).toBe(0);
  }, 60_000);
});
