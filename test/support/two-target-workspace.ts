/**
 * A demo workspace whose pipeline delivers to a second simulator, `city`, listed before the
 * province, with `reconcile.unknownAtPlatform: revoke`: the setting under which licenses only the
 * platforms hold are adopted and revoked. Its pipeline has run once, so both platforms hold the
 * workspace's licenses.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { expect } from 'vitest';
import {
  type ProvinceSimulator,
  startProvinceSimulator,
} from '../../adapters/simulators/province/province-simulator.js';
import { loadConfig } from '../../config/loader.js';
import type { Config } from '../../config/types.js';
import type { Logger } from '../../core/logger.js';
import { runPipelines } from '../../pipelines/run-pipelines.js';
import { createDemoWorkspace, DEMO_SECRET, type DemoWorkspace } from './demo-workspace.js';
import { editSimulatorFile, type SimulatorState } from './simulator-edit.js';

export const TWO_TARGET_PIPELINE = 'food-business-licenses';

export interface TwoTargetWorkspace {
  ws: DemoWorkspace;
  config: Readonly<Config>;
  /** Stops the target's simulator, hands its state to `edit`, and starts it again. */
  edit(target: 'city' | 'province', edit: (state: SimulatorState) => void): Promise<void>;
  close(): Promise<void>;
}

export async function openTwoTargetWorkspace(
  options: { rows: number; seed: number },
  logger: Logger,
): Promise<TwoTargetWorkspace> {
  const ws = await createDemoWorkspace(options);
  const sims: Record<'city' | 'province', ProvinceSimulator> = {
    province: ws.simulator,
    city: await startProvinceSimulator({
      port: 0,
      auth: { appKey: 'test-app', secret: DEMO_SECRET },
      stateFile: join(ws.dir, 'data', 'city.json'),
    }),
  };
  const files = { city: join(ws.dir, 'data', 'city.json'), province: join(ws.dir, 'data', 'sim.json') };
  // The city first: the target whose version the plan met first was the one adopted after.
  const yaml = (await readFile(ws.configFile, 'utf8')).replace(
    'targets: [province]',
    'targets: [city, province]',
  );
  await writeFile(
    ws.configFile,
    `${yaml}  city:
    kind: rest-json
    url: "${sims.city.url}"
    auth: { scheme: hmac, appKey: test-app, secret: "${DEMO_SECRET}" }
reconcile: { unknownAtPlatform: revoke, buckets: 64, maxRepairShare: 1 }
`,
  );
  const config = await loadConfig({ file: ws.configFile, env: {} });
  const [s] = await runPipelines(config, { pipelines: [TWO_TARGET_PIPELINE], full: false, logger });
  expect(s?.state).toBe('done');
  return {
    ws,
    config,
    async edit(target, edit) {
      sims[target] = await editSimulatorFile(sims[target], files[target], edit);
    },
    async close() {
      await sims.city.close();
      await sims.province.close();
      await ws.cleanup();
    },
  };
}
