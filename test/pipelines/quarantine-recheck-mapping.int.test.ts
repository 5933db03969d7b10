/**
 * A row quarantined by the mapping is read again, by key, at the first run after the mapping (or
 * the catalog) changed; the row itself did not change, so its cursor never brings it back.
 */

import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../config/loader.js';
import { runPipelines } from '../../pipelines/run-pipelines.js';
import { BACKENDS } from '../ledger/backends.js';
import {
  PIPELINE,
  pipelineState,
  type RecheckWorkspace,
  recheckWorkspace,
  silent,
} from './quarantine-recheck-fixture.js';

describe.each(BACKENDS)('a row quarantined by the mapping, the mapping fixed ($name)', (backend) => {
  let ws: RecheckWorkspace | undefined;
  afterEach(async () => {
    await ws?.cleanup();
    ws = undefined;
  });

  it('is issued by the next run, and a run with the same mapping reads nothing again', async () => {
    ws = await recheckWorkspace(backend);
    const db = new Database(ws.legacyDb);
    db.prepare("UPDATE T_SPXK_XKZ SET FZRQ = '2021.3.15' WHERE ID = 4").run();
    db.close();
    const config = await loadConfig({ file: ws.configFile, env: {} });
    await runPipelines(config, { pipelines: [PIPELINE], full: false, logger: silent });
    expect((await pipelineState(ws)).open).toEqual([['4', ['LB_MAP_DATE']]]);

    // Unchanged mapping: the row is not read again.
    const [same] = await runPipelines(config, { pipelines: [PIPELINE], full: false, logger: silent });
    expect(same).toMatchObject({ read: 0, quarantined: 0 });
    expect((await pipelineState(ws)).open).toEqual([['4', ['LB_MAP_DATE']]]);

    const file = join(ws.dir, 'mappings', 'food-business-license.yaml');
    const text = await readFile(file, 'utf8');
    await writeFile(file, text.replaceAll('{ date: [yyyyMMdd] }', '{ date: [yyyyMMdd, yyyy.M.d] }'));
    const fixed = await loadConfig({ file: ws.configFile, env: {} });
    const [second] = await runPipelines(fixed, { pipelines: [PIPELINE], full: false, logger: silent });
    expect(second).toMatchObject({ read: 1, created: 1, quarantined: 0 });
    const after = await pipelineState(ws);
    expect(after.open).toEqual([]);
    expect(after.delivered.has(after.licenses.get('4')?.licenseId ?? '')).toBe(true);
  }, 120_000);
});
