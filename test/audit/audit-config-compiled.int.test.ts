/**
 * A worker records the configuration it starts with, but compiles a pipeline's mapping and the
 * catalog only at that pipeline's first job: a mapping edited in between made versions under a
 * mapping no `config` entry held. The runtime records the configuration again as it compiles
 * them, digesting what it compiled (nothing when unchanged), and keeps that record while it keeps
 * the compiled mapping, whatever the file on disk becomes.
 */
import { appendFile, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sm3Hex } from '../../catalog/sm3.js';
import { loadConfig } from '../../config/loader.js';
import type { Config } from '../../config/types.js';
import { createLogger } from '../../core/logger.js';
import { recordConfigChange } from '../../pipelines/config-audit.js';
import { Runtime } from '../../pipelines/runtime.js';
import { createDemoWorkspace, type DemoWorkspace } from '../support/demo-workspace.js';

const quiet = createLogger({ level: 'silent' });
const PIPELINE = 'food-business-licenses';
const MAPPING = 'mapping:mappings/food-business-license.yaml';

describe('a worker records the mapping it compiles, not only the one it started with', () => {
  let ws: DemoWorkspace;
  let config: Readonly<Config>;
  let rt: Runtime | undefined;
  beforeAll(async () => {
    ws = await createDemoWorkspace({ rows: 1 });
    config = await loadConfig({ file: ws.configFile, env: {} });
  }, 60_000);
  afterAll(async () => {
    await rt?.close();
    await ws?.cleanup();
  });

  const entries = async (r: Runtime) =>
    (await (await r.ledger()).configChanges.list()).map(
      (e) => JSON.parse(e.detail ?? '{}') as Record<string, string>,
    );

  it('a mapping edited between the start and the first job: an entry with the bytes compiled', async () => {
    rt = new Runtime(config, quiet);
    // As `licbridge worker` does when it starts.
    await recordConfigChange(config, (await rt.ledger()).configChanges, quiet);
    expect(await entries(rt)).toHaveLength(1);

    const file = join(ws.dir, 'mappings', 'food-business-license.yaml');
    await appendFile(file, '# reviewed\n');
    const compiled = sm3Hex(await readFile(file));
    await rt.pipeline(PIPELINE);
    const after = await entries(rt);
    expect(after).toHaveLength(2);
    expect(after[1]?.[MAPPING]).toBe(compiled);
    expect(after[0]?.[MAPPING]).not.toBe(compiled);

    // Edited again while the worker keeps its compiled mapping: another pipeline's open (here a
    // second runtime's record with the same held parts) does not record the file on disk.
    await appendFile(file, '# reviewed again\n');
    const same = new Runtime(config, quiet);
    try {
      await recordConfigChange(config, (await same.ledger()).configChanges, quiet, {
        mappings: new Map([[file, { [MAPPING]: compiled }]]),
      });
      expect(await entries(same)).toHaveLength(2);
    } finally {
      await same.close();
    }
  }, 60_000);
});
