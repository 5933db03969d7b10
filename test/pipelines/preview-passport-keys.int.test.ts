/**
 * A stream keyed by its holders' PRC passport or travel permit numbers (a text key the mapping does
 * not list as personal): `preview` masks the key by the shapes a report, a plan or the worklist
 * masks a record key by (maskNumberShapes: `E*******8`, `H*******7`). It masked ID and mobile
 * numbers only, so `licbridge preview` printed each passport number whole on its row's header.
 */
import { readFile, writeFile } from 'node:fs/promises';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../config/loader.js';
import { previewPipeline } from '../../pipelines/preview.js';
import { createDemoWorkspace, type DemoWorkspace } from '../support/demo-workspace.js';

// Generated fixtures: a passport's shape (E and eight digits) and an HK/Macao permit card's (H and eight).
const KEYS = ['E10000018', 'E10000026', 'H10000037'];

describe('preview and a key that is a passport number', () => {
  let ws: DemoWorkspace;
  beforeAll(async () => {
    ws = await createDemoWorkspace({ rows: KEYS.length });
    const db = new Database(ws.legacyDb);
    try {
      db.prepare('ALTER TABLE T_SPXK_XKZ ADD COLUMN HZHM VARCHAR(20)').run();
      const ids = db.prepare('SELECT ID FROM T_SPXK_XKZ ORDER BY ID').pluck().all() as number[];
      expect(ids.length).toBe(KEYS.length);
      const update = db.prepare('UPDATE T_SPXK_XKZ SET HZHM = ? WHERE ID = ?');
      for (const [i, id] of ids.entries()) update.run(KEYS[i], id);
    } finally {
      db.close();
    }
    const yaml = await readFile(ws.configFile, 'utf8');
    const keyed = yaml.replace('key: ID,', 'key: HZHM,');
    expect(keyed).not.toBe(yaml);
    await writeFile(ws.configFile, keyed);
  });
  afterAll(async () => ws?.cleanup());

  it('masks the key as the reports do', async () => {
    const config = await loadConfig({ file: ws.configFile, env: {} });
    const preview = await previewPipeline(config, 'food-business-licenses', { limit: 10, offset: 0 });
    expect(preview.rows.map((r) => r.key).sort()).toEqual(['E*******8', 'E*******6', 'H*******7'].sort());
    const shown = JSON.stringify(preview);
    for (const key of KEYS) expect(shown).not.toContain(key);
  });

  it('shows the key whole with --show-personal', async () => {
    const config = await loadConfig({ file: ws.configFile, env: {} });
    const preview = await previewPipeline(config, 'food-business-licenses', {
      limit: 10,
      offset: 0,
      showPersonal: true,
    });
    expect(preview.rows.map((r) => r.key).sort()).toEqual([...KEYS].sort());
  });
});
