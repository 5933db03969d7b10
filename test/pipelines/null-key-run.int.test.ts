/**
 * End to end on the demo department, with a stream keyed by a column two rows leave NULL: the
 * two rows were one license keyed "null", delivered back and forth with alternating holders. Now
 * neither becomes a license: each is quarantined under its own stand-in key, naming the key
 * column, run after run, and the light check finds nothing missed.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { loadConfig } from '../../config/loader.js';
import { reconcilePipeline } from '../../pipelines/reconcile/reconcile.js';
import { runPipelines } from '../../pipelines/run-pipelines.js';
import { Runtime } from '../../pipelines/runtime.js';
import { quietLogger } from '../ops/ops-fixtures.js';
import { createDemoWorkspace, type DemoWorkspace } from '../support/demo-workspace.js';

const PIPELINE = 'food-business-licenses';
let ws: DemoWorkspace;
beforeAll(async () => {
  ws = await createDemoWorkspace({ rows: 10 });
}, 60_000);
afterAll(async () => ws?.cleanup());

it('rows whose key is NULL become no license, and are quarantined apart, run after run', {
  timeout: 180_000,
}, async () => {
  const yaml = (await readFile(ws.configFile, 'utf8')).replace('key: ID, cursor: GXSJ', 'key: BIZ_KEY');
  expect(yaml).toContain('key: BIZ_KEY');
  await writeFile(ws.configFile, yaml);
  const legacy = new Database(ws.legacyDb);
  const ids = legacy
    .prepare("SELECT ID FROM T_SPXK_XKZ WHERE ZT = '1' ORDER BY ID LIMIT 2")
    .pluck()
    .all() as number[];
  legacy.exec('ALTER TABLE T_SPXK_XKZ ADD COLUMN BIZ_KEY TEXT');
  legacy.exec("UPDATE T_SPXK_XKZ SET BIZ_KEY = 'B' || ID");
  legacy.prepare(`UPDATE T_SPXK_XKZ SET BIZ_KEY = NULL WHERE ID IN (${ids.join(',')})`).run();
  const total = legacy.prepare('SELECT count(*) FROM T_SPXK_XKZ').pluck().get() as number;
  legacy.close();
  const config = await loadConfig({ file: ws.configFile, env: {} });
  const run = async (full: boolean) => {
    const [s] = await runPipelines(config, { pipelines: [PIPELINE], full, logger: quietLogger() });
    return s?.state;
  };
  expect(await run(false)).toBe('done');
  expect(await run(true)).toBe('done');

  const db = new Database(join(ws.dir, 'data', 'ledger.db'), { readonly: true });
  const licensed = db
    .prepare('SELECT source_key FROM licenses WHERE pipeline = ?')
    .pluck()
    .all(PIPELINE) as string[];
  const quarantine = db
    .prepare('SELECT source_key, reasons FROM quarantine WHERE pipeline = ? ORDER BY id')
    .all(PIPELINE) as { source_key: string; reasons: string }[];
  db.close();
  expect(licensed).not.toContain('null');
  expect(licensed.every((k) => /^B\d+$/.test(k))).toBe(true);
  const keyless = quarantine.filter((q) => /^BIZ_KEY:missing#/.test(q.source_key));
  // Two rows, two keys, the same on both runs.
  expect(new Set(keyless.map((q) => q.source_key)).size).toBe(2);
  expect(keyless).toHaveLength(4);
  for (const q of keyless) {
    expect(JSON.parse(q.reasons)).toEqual([
      expect.objectContaining({ code: 'LB_SOURCE_KEY_MISSING', column: 'BIZ_KEY' }),
    ]);
  }

  const rt = new Runtime(config, quietLogger());
  try {
    const report = await reconcilePipeline(rt, { pipeline: PIPELINE, mode: 'light', store: false });
    expect(report.byKind.missed).toBe(0);
    expect(report.counts.source.total).toBe(total);
    expect(report.counts.source.quarantined).toBeGreaterThanOrEqual(2);
    // The full check buckets the two rows by their stand-ins and finds them quarantined too.
    const full = await reconcilePipeline(rt, { pipeline: PIPELINE, mode: 'full', store: false });
    expect(full.differences).toBe(0);
    expect(full.counts.source.quarantined).toBe(2);
    expect(full.counts.source.total + full.counts.source.quarantined).toBe(total);
  } finally {
    await rt.close();
  }
});
