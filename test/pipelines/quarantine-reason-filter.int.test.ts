/**
 * `quarantine list|export --reason CODE` finds the rows of that code however the code is typed:
 * a clerk who types `lb_holder_id_check` (or pastes it with a space) must not be told there is
 * nothing to fix while the worklist holds such rows.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../config/loader.js';
import type { Config } from '../../config/types.js';
import { createLogger } from '../../core/logger.js';
import { quarantineWorklist } from '../../pipelines/quarantine-list.js';
import { runPipelines } from '../../pipelines/run-pipelines.js';
import { createDemoWorkspace, type DemoWorkspace } from '../support/demo-workspace.js';

const logger = createLogger({ level: 'silent' });
const PIPELINE = 'food-business-licenses';
const CODE = 'LB_HOLDER_ID_CHECK';

describe('quarantine worklist: filter by reason code', () => {
  let ws: DemoWorkspace;
  let config: Readonly<Config>;

  beforeAll(async () => {
    ws = await createDemoWorkspace({ rows: 200, seed: 3 });
    config = await loadConfig({ file: ws.configFile, env: {} });
    const [s] = await runPipelines(config, { pipelines: [PIPELINE], full: false, logger });
    expect(s?.state).toBe('done');
  }, 60_000);
  afterAll(async () => {
    await ws?.cleanup();
  });

  it('matches the code whatever its case and surrounding spaces', async () => {
    const exact = await quarantineWorklist(config, { reason: CODE });
    expect(exact.entries.length).toBeGreaterThan(0);
    const keys = exact.entries.map((e) => e.sourceKey);
    for (const typed of [CODE.toLowerCase(), ` ${CODE} `, 'Lb_Holder_Id_Check']) {
      const list = await quarantineWorklist(config, { reason: typed });
      expect(list.entries.map((e) => e.sourceKey)).toEqual(keys);
      expect(list.byReason[CODE]).toBe(keys.length);
    }
  });
});
