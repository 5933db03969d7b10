import { readFile, writeFile } from 'node:fs/promises';
import Database from 'better-sqlite3';
import iconv from 'iconv-lite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../config/loader.js';
import type { Config } from '../../config/types.js';
import { createLogger } from '../../core/logger.js';
import { reconcilePipeline } from '../../pipelines/reconcile/reconcile.js';
import { runPipelines } from '../../pipelines/run-pipelines.js';
import { Runtime } from '../../pipelines/runtime.js';
import { createDemoWorkspace, type DemoWorkspace } from '../support/demo-workspace.js';

const logger = createLogger({ level: 'silent' });
const PIPELINE = 'food-business-licenses';

/** GBK bytes stored in a latin1 column, read back as latin1 text: the classic legacy mojibake. */
const mojibake = (text: string): string => iconv.encode(text, 'gbk').toString('latin1');

describe('reconcile with GBK-repaired columns', () => {
  let ws: DemoWorkspace;
  let repaired: Readonly<Config>;
  let unrepaired: Readonly<Config>;

  const check = async (config: Readonly<Config>) => {
    const rt = new Runtime(config, logger);
    try {
      return await reconcilePipeline(rt, { pipeline: PIPELINE, targets: [] });
    } finally {
      await rt.close();
    }
  };

  beforeAll(async () => {
    ws = await createDemoWorkspace({ rows: 60, seed: 9 });
    const db = new Database(ws.legacyDb);
    const rows = db.prepare('SELECT ID, JYCS FROM T_SPXK_XKZ').all() as { ID: number; JYCS: string }[];
    const update = db.prepare('UPDATE T_SPXK_XKZ SET JYCS = ? WHERE ID = ?');
    for (const r of rows) update.run(mojibake(r.JYCS.trim()), r.ID);
    db.close();
    const yaml = await readFile(ws.configFile, 'utf8');
    unrepaired = await loadConfig({ file: ws.configFile, env: {} });
    await writeFile(
      ws.configFile,
      yaml.replace(
        'market-food: { kind: sqlite, path: ./data/legacy.db, trim: all }',
        'market-food: { kind: sqlite, path: ./data/legacy.db, trim: all, charset: { repair: [JYCS], from: gb18030 } }',
      ),
    );
    repaired = await loadConfig({ file: ws.configFile, env: {} });
    const [s] = await runPipelines(repaired, { pipelines: [PIPELINE], full: false, logger });
    expect(s?.state).toBe('done');
  }, 120_000);
  afterAll(async () => {
    await ws?.cleanup();
  });

  it('finds no difference when the source is read with the same repair the run used', async () => {
    const report = await check(repaired);
    expect(report.counts.source.total).toBeGreaterThan(30);
    expect(report.differences).toBe(0);
  });

  it('would see every license as changed without the repair (so the comparison does look at the text)', async () => {
    const report = await check(unrepaired);
    // Mojibake either maps to other text or trips the mapping's charset guard: never "equal".
    expect(report.byKind['content-mismatch'] + report.byKind.unmappable).toBe(report.counts.ledger.total);
  });
});
