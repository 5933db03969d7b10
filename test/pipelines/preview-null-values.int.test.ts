/**
 * Preview shows a source column that is NULL as null, and a column holding the text `null` as that
 * text: a legacy table often holds both, and the mapping treats them apart (a `required` rule
 * refuses the first, keeps the second).
 */
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../config/loader.js';
import { previewPipeline } from '../../pipelines/preview.js';
import { createDemoWorkspace, type DemoWorkspace } from '../support/demo-workspace.js';

describe('preview and NULL source values', () => {
  let ws: DemoWorkspace;
  beforeAll(async () => {
    ws = await createDemoWorkspace({ rows: 5 });
    const db = new Database(ws.legacyDb);
    db.prepare("UPDATE T_SPXK_XKZ SET YZSBH = NULL, ZTYT = 'null'").run();
    db.close();
  });
  afterAll(async () => ws?.cleanup());

  it('shows NULL as null and the text `null` as text, in the source columns', async () => {
    const config = await loadConfig({ file: ws.configFile, env: {} });
    const preview = await previewPipeline(config, 'food-business-licenses', { limit: 5, offset: 0 });
    expect(preview.rows.length).toBeGreaterThan(0);
    for (const row of preview.rows) {
      expect(row.source.YZSBH).toBeNull();
      expect(row.source.ZTYT).toBe('null');
    }
  });
});
