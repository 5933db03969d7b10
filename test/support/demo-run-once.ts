/**
 * A demo workspace whose pipeline has run once, to the end, before the tests of the calling file or
 * `describe` block: the ledger and the province simulator hold its licenses, as a check finds them
 * after an ordinary run. Removed after the tests. Needs Redis.
 */
import { afterAll, beforeAll, expect } from 'vitest';
import { loadConfig } from '../../config/loader.js';
import type { Config } from '../../config/types.js';
import { createLogger } from '../../core/logger.js';
import { runPipelines } from '../../pipelines/run-pipelines.js';
import { createDemoWorkspace, type DemoWorkspace } from './demo-workspace.js';

export interface DemoRunOnce {
  ws: DemoWorkspace;
  config: Readonly<Config>;
}

/**
 * The demo of `rows` rows of `seed`, its `pipeline` run once without `--full`; read the fields
 * inside the tests and hooks, once `beforeAll` has run.
 */
export function demoRunOnce(
  { rows, seed }: { rows: number; seed: number },
  pipeline = 'food-business-licenses',
): DemoRunOnce {
  const t = {} as DemoRunOnce;
  beforeAll(async () => {
    t.ws = await createDemoWorkspace({ rows, seed });
    t.config = await loadConfig({ file: t.ws.configFile, env: {} });
    const logger = createLogger({ level: 'silent' });
    const [s] = await runPipelines(t.config, { pipelines: [pipeline], full: false, logger });
    expect(s?.state).toBe('done');
  }, 60_000);
  afterAll(async () => {
    await t.ws?.cleanup();
  });
  return t;
}
