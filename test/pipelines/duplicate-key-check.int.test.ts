/**
 * End to end on the demo department, its stream a view joining each license to its business
 * items, two licenses with two items each: the run quarantines the two keys
 * (LB_SOURCE_KEY_DUPLICATE) and delivers the rest, and both checks agree with it — the light
 * check and the full check count the two keys as quarantined, never as missed licenses.
 */
import { readFile, writeFile } from 'node:fs/promises';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { loadConfig } from '../../config/loader.js';
import { LEGACY_COLUMNS } from '../../examples/west-coast/generate-legacy-db.js';
import { reconcilePipeline } from '../../pipelines/reconcile/reconcile.js';
import { runPipelines } from '../../pipelines/run-pipelines.js';
import { Runtime } from '../../pipelines/runtime.js';
import { quietLogger } from '../ops/ops-fixtures.js';
import { createDemoWorkspace, type DemoWorkspace } from '../support/demo-workspace.js';

const PIPELINE = 'food-business-licenses';
const ROWS = 10;
let ws: DemoWorkspace;
beforeAll(async () => {
  ws = await createDemoWorkspace({ rows: ROWS });
}, 60_000);
afterAll(async () => ws?.cleanup());

it('a view with one key on two rows: the run and both checks count it quarantined', {
  timeout: 180_000,
}, async () => {
  const legacy = new Database(ws.legacyDb);
  legacy.exec('CREATE TABLE T_JYXM (XKZ_ID INTEGER, XM TEXT)');
  legacy.exec('INSERT INTO T_JYXM SELECT ID, JYXM FROM T_SPXK_XKZ');
  legacy.exec("INSERT INTO T_JYXM SELECT ID, '预包装食品销售' FROM T_SPXK_XKZ ORDER BY ID LIMIT 2");
  const columns = LEGACY_COLUMNS.map((c) => (c === 'JYXM' ? 'i.XM AS JYXM' : `x.${c}`));
  legacy.exec(
    `CREATE VIEW V_XKZ AS SELECT ${columns.join(', ')} FROM T_SPXK_XKZ x JOIN T_JYXM i ON i.XKZ_ID = x.ID`,
  );
  legacy.close();
  const yaml = (await readFile(ws.configFile, 'utf8')).replace('table: T_SPXK_XKZ', 'table: V_XKZ');
  expect(yaml).toContain('table: V_XKZ');
  await writeFile(ws.configFile, yaml);
  const config = await loadConfig({ file: ws.configFile, env: {} });
  const [summary] = await runPipelines(config, { pipelines: [PIPELINE], full: true, logger: quietLogger() });
  expect(summary?.state).toBe('done');
  expect(summary?.read).toBe(ROWS + 2);
  expect(summary?.quarantineByReason).toMatchObject({ LB_SOURCE_KEY_DUPLICATE: 2 });

  const rt = new Runtime(config, quietLogger());
  try {
    const light = await reconcilePipeline(rt, { pipeline: PIPELINE, mode: 'light', store: false });
    expect(light.byKind.missed).toBe(0);
    expect(light.counts.source.quarantined).toBeGreaterThanOrEqual(2);
    const full = await reconcilePipeline(rt, { pipeline: PIPELINE, mode: 'full', store: false });
    expect(full.byKind.missed).toBe(0);
    expect(full.differences).toBe(0);
    expect(full.counts.source.quarantined).toBeGreaterThanOrEqual(2);
  } finally {
    await rt.close();
  }
});
