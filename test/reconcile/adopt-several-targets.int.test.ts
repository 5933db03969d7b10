/**
 * A license only the platforms hold, under `reconcile.unknownAtPlatform: revoke`, at two targets in
 * different versions (another system sent it unevenly). The plan adopts it at each; applied, the
 * ledger took it once, after the version of whichever target came first, and its revocation went to
 * both: the target holding a higher version than that kept the license valid (refused as not newer,
 * or a duplicate of its own key). It is now adopted after the highest version any target holds, and
 * revoked at both.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type ProvinceSimulator,
  readSimulatorState,
  startProvinceSimulator,
} from '../../adapters/simulators/province/province-simulator.js';
import { loadConfig } from '../../config/loader.js';
import type { Config } from '../../config/types.js';
import { createLogger } from '../../core/logger.js';
import { applyRepairs } from '../../pipelines/reconcile/apply-repairs.js';
import { reconcilePipeline } from '../../pipelines/reconcile/reconcile.js';
import { planRepairs } from '../../pipelines/reconcile/repair.js';
import { runPipelines } from '../../pipelines/run-pipelines.js';
import { Runtime } from '../../pipelines/runtime.js';
import { createDemoWorkspace, DEMO_SECRET, type DemoWorkspace } from '../support/demo-workspace.js';
import type { SimulatorState } from '../support/simulator-edit.js';

const logger = createLogger({ level: 'silent' });
const PIPELINE = 'food-business-licenses';
const AUTH = { appKey: 'test-app', secret: DEMO_SECRET };

/** Stops `sim`, hands the state in `file` to `edit`, and starts it again on the same port. */
async function edited(
  sim: ProvinceSimulator,
  file: string,
  edit: (state: SimulatorState) => void,
): Promise<ProvinceSimulator> {
  const port = Number(new URL(sim.url).port);
  await sim.close();
  const state = (await readSimulatorState(file)) as SimulatorState;
  edit(state);
  await writeFile(file, JSON.stringify(state));
  return startProvinceSimulator({ port, auth: AUTH, stateFile: file });
}

describe('a license only the platforms hold, in different versions at two targets', () => {
  let ws: DemoWorkspace;
  let config: Readonly<Config>;
  let province: ProvinceSimulator;
  let city: ProvinceSimulator;
  const cityFile = () => join(ws.dir, 'data', 'city.json');

  beforeAll(async () => {
    ws = await createDemoWorkspace({ rows: 12, seed: 61 });
    province = ws.simulator;
    city = await startProvinceSimulator({ port: 0, auth: AUTH, stateFile: cityFile() });
    // The city first: the target whose version the plan met first was the one adopted after.
    const yaml = (await readFile(ws.configFile, 'utf8')).replace(
      'targets: [province]',
      'targets: [city, province]',
    );
    await writeFile(
      ws.configFile,
      `${yaml}  city:
    kind: rest-json
    url: "${city.url}"
    auth: { scheme: hmac, appKey: test-app, secret: "${DEMO_SECRET}" }
reconcile: { unknownAtPlatform: revoke, buckets: 64, maxRepairShare: 1 }
`,
    );
    config = await loadConfig({ file: ws.configFile, env: {} });
    const [s] = await runPipelines(config, { pipelines: [PIPELINE], full: false, logger });
    expect(s?.state).toBe('done');
  }, 120_000);
  afterAll(async () => {
    await city?.close();
    await province?.close();
    await ws?.cleanup();
  });

  it('is adopted after the highest version and revoked at both', async () => {
    let unknownId = '';
    const plant = (target: string, version: number) => (state: SimulatorState) => {
      const model = state.entries[0];
      if (!model) throw new Error('empty platform');
      unknownId = `${model.licenseId.split('.').slice(0, -1).join('.')}.ZZZZZZZZZZ`;
      state.entries.push({
        ...structuredClone(model),
        key: `${unknownId}:${version}:${target}`,
        licenseId: unknownId,
        version,
        license: { ...model.license, zzbs: `${unknownId}.00${version}.X` },
      });
    };
    city = await edited(city, cityFile(), plant('city', 1));
    province = await edited(province, join(ws.dir, 'data', 'sim.json'), plant('province', 2));

    const rt = new Runtime(config, logger);
    try {
      const report = await reconcilePipeline(rt, { pipeline: PIPELINE });
      expect(report.byKindAndSide).toMatchObject({
        'unknown-at-platform@city': 1,
        'unknown-at-platform@province': 1,
      });
      const plan = planRepairs(rt, report);
      expect(plan.byAction['adopt-revoke']).toBe(2);
      await applyRepairs(rt, plan, { logger, idleTimeoutMs: 60_000 });

      const ledger = await rt.ledger();
      const [adopted] = await ledger.licensesAtTargetByIds(PIPELINE, 'province', [unknownId]);
      expect(adopted).toMatchObject({ version: 3, status: 'revoked' });
      const after = await reconcilePipeline(rt, { pipeline: PIPELINE });
      expect(after.differences).toBe(0);
    } finally {
      await rt.close();
    }
  }, 180_000);
});
