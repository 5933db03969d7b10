/**
 * `licbridge preview` and a run map rows with the day conditions compare in lifecycle.timeZone on
 * both sides: a row's instant `2024-03-01T03:00:00Z` is 29 February in New York, and a rule on
 * `before: "2024-03-01"` holds there; its day was taken in Shanghai (1 March) whatever the zone.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../config/loader.js';
import { createLogger } from '../../core/logger.js';
import { previewPipeline } from '../../pipelines/preview.js';
import { Runtime } from '../../pipelines/runtime.js';
import { createDemoWorkspace, type DemoWorkspace } from '../support/demo-workspace.js';

const PIPELINE = 'food-business-licenses';
const RULE = '  surface.businessForm: { from: ZTYT, transform: [trim], required: true }';

describe('conditions in lifecycle.timeZone, in preview and a run', () => {
  let ws: DemoWorkspace;
  beforeAll(async () => {
    ws = await createDemoWorkspace({ rows: 2 });
    const mappingFile = join(ws.dir, 'mappings', 'food-business-license.yaml');
    const mapping = await readFile(mappingFile, 'utf8');
    expect(mapping).toContain(RULE);
    const rule = [
      '  surface.businessForm:',
      '    - { when: { column: GXSJ, before: "2024-03-01" }, const: 早 }',
      '    - { const: 晚 }',
    ].join('\n');
    await writeFile(mappingFile, mapping.replace(RULE, rule));
    const db = new Database(ws.legacyDb);
    db.prepare("UPDATE T_SPXK_XKZ SET GXSJ = '2024-03-01T03:00:00Z'").run();
    db.close();
  });
  afterAll(async () => ws?.cleanup());

  const configIn = async (zone: string | undefined) => {
    const text = await readFile(ws.configFile, 'utf8');
    const file = join(ws.dir, `licbridge-${zone ? 'ny' : 'default'}.yaml`);
    await writeFile(file, zone ? `${text}lifecycle: { timeZone: ${zone} }\n` : text);
    return loadConfig({ file, env: {} });
  };

  it('preview', async () => {
    const forms = async (zone?: string) =>
      (await previewPipeline(await configIn(zone), PIPELINE, { limit: 2, offset: 0 })).rows.map(
        (r) => r.license?.['surface.businessForm'] ?? r.failures,
      );
    expect(await forms('America/New_York')).toEqual(['早', '早']);
    expect(await forms()).toEqual(['晚', '晚']);
  });

  it("a run's mapper", async () => {
    const form = async (zone?: string) => {
      const rt = new Runtime(await configIn(zone), createLogger({ level: 'silent' }));
      try {
        const { mapper } = await rt.pipeline(PIPELINE);
        const db = new Database(ws.legacyDb, { readonly: true });
        const row = db.prepare('SELECT * FROM T_SPXK_XKZ LIMIT 1').get() as Record<string, string | number>;
        db.close();
        const r = mapper({ key: String(row.ID), values: row }, 'run');
        return r.ok ? (r.candidate.build(1).surface as { businessForm?: unknown }).businessForm : r.reasons;
      } finally {
        await rt.close();
      }
    };
    expect(await form('America/New_York')).toBe('早');
    expect(await form()).toBe('晚');
  });
});
