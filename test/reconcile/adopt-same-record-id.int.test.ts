/**
 * Two licenses only the platforms hold, under `reconcile.unknownAtPlatform: revoke`, one at each
 * target, which number their own records alike (each platform's record `P-1`). An adopted license
 * was keyed `platform:<platform id>`: both took the same source key, the ledger refused the second
 * (a pipeline's source keys are unique), and the whole repair failed — every repair after it the
 * same way. The key names the target too: both are adopted and revoked.
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
import type { SimulatorEntry, SimulatorState } from '../support/simulator-edit.js';

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

describe('two licenses only the platforms hold, under one record id at two targets', () => {
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

  it('are both adopted and revoked', async () => {
    const ids: Record<string, string> = {};
    const plant = (target: string, serial: string) => (state: SimulatorState) => {
      const model = state.entries[0];
      if (!model) throw new Error('empty platform');
      const licenseId = `${model.licenseId.split('.').slice(0, -1).join('.')}.${serial}`;
      ids[target] = licenseId;
      state.entries.push({
        ...structuredClone(model),
        platformId: 'P-1',
        key: `${licenseId}:1:${target}`,
        licenseId,
        version: 1,
        license: { ...model.license, zzbs: `${licenseId}.001.X` },
      } as SimulatorEntry);
    };
    city = await edited(city, cityFile(), plant('city', 'ZZZZZZZZZY'));
    province = await edited(province, join(ws.dir, 'data', 'sim.json'), plant('province', 'ZZZZZZZZZZ'));

    const rt = new Runtime(config, logger);
    try {
      const report = await reconcilePipeline(rt, { pipeline: PIPELINE });
      const plan = planRepairs(rt, report);
      expect(plan.byAction['adopt-revoke']).toBe(2);
      await applyRepairs(rt, plan, { logger, idleTimeoutMs: 60_000 });
      const ledger = await rt.ledger();
      const adopted = await ledger.licensesAtTargetByIds(PIPELINE, 'province', Object.values(ids));
      expect(adopted.map((l) => l.status)).toEqual(['revoked', 'revoked']);
      expect(new Set(adopted.map((l) => l.sourceKey)).size).toBe(2);
    } finally {
      await rt.close();
    }
  }, 180_000);
});
