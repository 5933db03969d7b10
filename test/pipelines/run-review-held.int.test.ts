/**
 * `licbridge run` when the run's versions are held behind earlier versions the platform still
 * reviews: version n of a license goes only once version n − 1 is accepted, so a run writing the
 * second versions of licenses whose first versions are `submitted` sends nothing and has nothing
 * `submitted` of its own. It waits on those reviews all the same: it ends `in-review` after the
 * target's `reviewWaitMs`, exit 0, not with "nothing moved", exit 1, after the idle timeout.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  type ProvinceSimulator,
  startProvinceSimulator,
} from '../../adapters/simulators/province/province-simulator.js';
import { runExitCode } from '../../cli/commands/run.js';
import { loadConfig } from '../../config/loader.js';
import { createLogger } from '../../core/logger.js';
import { applyLegacyChanges } from '../../examples/west-coast/update-legacy-db.js';
import { runPipelines } from '../../pipelines/run-pipelines.js';
import {
  createDemoWorkspace,
  DEMO_SECRET,
  type DemoWorkspace,
  demoConfigYaml,
} from '../support/demo-workspace.js';

const logger = createLogger({ level: process.env.LB_TEST_LOG ?? 'silent' });
const PIPELINE = 'food-business-licenses';

describe('licbridge run with its versions held behind versions in review', () => {
  let ws: DemoWorkspace | undefined;
  let platform: ProvinceSimulator | undefined;
  afterEach(async () => {
    await platform?.close();
    await ws?.cleanup();
  });

  it('ends in-review after reviewWaitMs, counting the held versions, exit code 0', async () => {
    ws = await createDemoWorkspace({ rows: 20 });
    platform = await startProvinceSimulator({
      port: 0,
      auth: { appKey: 'test-app', secret: DEMO_SECRET },
      stateFile: join(ws.dir, 'data', 'platform.db'),
      // A verdict that never comes within the test.
      review: { polls: 1_000_000 },
    });
    await writeFile(ws.configFile, demoConfigYaml({ prefix: ws.prefix, simulatorUrl: platform.url }));
    const loaded = await loadConfig({ file: ws.configFile, env: {} });
    const province = { ...loaded.targets.province, reviewWaitMs: 2500 } as (typeof loaded.targets)[string];
    const config = { ...loaded, targets: { ...loaded.targets, province } };
    const options = { pipelines: [PIPELINE], full: false, logger, sweepAfterMs: 200, idleTimeoutMs: 1000 };

    const [first] = await runPipelines(config, options);
    expect(first?.state).toBe('in-review');
    expect(first?.inReview).toEqual({ province: 20 });

    // Five licenses edited at the source: the next run writes their second versions.
    await applyLegacyChanges(ws.legacyDb, { revoke: 0, modify: 5, add: 0, seed: 3 });
    const runs = await runPipelines(config, options);
    const [s] = runs;
    expect(s?.error).toBeUndefined();
    expect(s?.state).toBe('in-review');
    expect(s?.created).toBe(5);
    expect(s?.signed).toBe(5);
    expect(s?.delivered.province).toBe(0);
    expect(s?.inReview).toEqual({ province: 25 });
    expect(runExitCode(runs)).toBeUndefined();
    // None of the second versions went ahead of its first version's verdict.
    expect(platform.stats().accepted).toBe(0);
  }, 60_000);
});
