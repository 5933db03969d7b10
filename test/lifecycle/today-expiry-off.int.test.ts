/**
 * A pipeline with derived expiry switched off (`expiry: false`) still maps conditions on `today`
 * on the configured day — `LICBRIDGE_TODAY` or `lifecycle.timeZone`'s — not on the process clock
 * in China Standard Time, and a license past its `validTo` stays as the source says.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../config/loader.js';
import type { Config } from '../../config/types.js';
import { Runtime } from '../../pipelines/runtime.js';
import { quietLogger } from '../ledger/backends.js';
import { demoValues } from '../mappings/fixtures.js';
import { createDemoWorkspace, type DemoWorkspace } from '../support/demo-workspace.js';

const PIPELINE = 'food-business-licenses';

describe('conditions on today with expiry off', () => {
  let ws: DemoWorkspace | undefined;
  let rt: Runtime | undefined;
  afterEach(async () => {
    delete process.env.LICBRIDGE_TODAY;
    await rt?.close();
    await ws?.cleanup();
    rt = undefined;
    ws = undefined;
  });

  it('maps on the pinned day, and leaves a license past its date valid', async () => {
    ws = await createDemoWorkspace({ rows: 1 });
    const loaded = await loadConfig({ file: ws.configFile, env: {} });
    const pipeline = loaded.pipelines[PIPELINE];
    if (!pipeline) throw new Error('demo pipeline missing');
    const config: Config = {
      ...loaded,
      pipelines: { ...loaded.pipelines, [PIPELINE]: { ...pipeline, expiry: false } },
    };
    process.env.LICBRIDGE_TODAY = '2031-05-06';
    rt = new Runtime(config, quietLogger);
    const parts = await rt.pipeline(PIPELINE);
    expect(parts.today?.()).toBe('2031-05-06');
    const r = parts.mapper({ key: '1', values: demoValues({ ZT: '1', YXQZ: '20220101' }) }, 'run');
    if (!r.ok) throw new Error(JSON.stringify(r.reasons));
    expect(r.candidate.status).toBe('valid');
  });
});
