import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../config/loader.js';
import type { Config } from '../../config/types.js';
import { createLogger } from '../../core/logger.js';
import { runPipelines } from '../../pipelines/run-pipelines.js';
import { legacyExportRecords, writeExport } from '../connectors/xml-fixtures.js';
import { createDemoWorkspace, type DemoWorkspace, demoConfigYaml } from '../support/demo-workspace.js';

const logger = createLogger({ level: 'silent' });
const PIPELINE = 'food-business-licenses';

describe('a pipeline on an XML export folder', () => {
  let ws: DemoWorkspace;
  let config: Readonly<Config>;
  const exports = () => join(ws.dir, 'exports');
  const run = async () => (await runPipelines(config, { pipelines: [PIPELINE], full: false, logger }))[0];

  beforeAll(async () => {
    ws = await createDemoWorkspace({ rows: 80 });
    await mkdir(exports(), { recursive: true });
    const yaml = demoConfigYaml({ prefix: ws.prefix, simulatorUrl: ws.simulator.url })
      .replace(
        'market-food: { kind: sqlite, path: ./data/legacy.db, trim: all }',
        'market-food: { kind: xml-files, path: ./exports, recordPath: Root/Records/Record, trim: all }',
      )
      .replace(
        'stream: { table: T_SPXK_XKZ, key: ID, cursor: GXSJ }',
        'stream: { table: Root/Records/Record, key: ID }',
      );
    await writeFile(ws.configFile, yaml);
    config = await loadConfig({ file: ws.configFile, env: {} });
  });
  afterAll(async () => ws?.cleanup());

  it('reads each export file once, including a late file whose name sorts before the last one read', async () => {
    await writeExport(exports(), 'SPXK_0002.xml', legacyExportRecords(ws.legacyDb, 1, 50));
    const first = await run();
    expect(first?.read).toBe(50);
    expect(first?.created).toBe((first?.read ?? 0) - (first?.quarantined ?? 0));
    expect(first?.delivered.province).toBe(first?.created);

    const again = await run();
    expect(again?.read).toBe(0);

    // Export tools do not always name files in the order they write them; the ledger of files read
    // (not the checkpoint's position) is what makes this late file visible.
    await writeExport(exports(), 'SPXK_0001.xml', legacyExportRecords(ws.legacyDb, 51, 60));
    const late = await run();
    expect(late?.read).toBe(10);
    expect(late?.created).toBe((late?.read ?? 0) - (late?.quarantined ?? 0));
    expect(ws.simulator.stats().duplicates).toBe(0);
  });
});
