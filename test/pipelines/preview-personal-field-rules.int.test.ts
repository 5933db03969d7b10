/**
 * A column listed under `personal:` is masked in preview in the license field it feeds, also when
 * that field's first rule reads another column (a list of rules under `when`) and when the field
 * is written as a list (`surface.items[]`, `surface.items[].name`). Preview looked only at the
 * column of the field's first rule, under the path as the mapping writes it: a premises read by
 * the second rule, or business items written with `[]`, were shown whole beside their masked column.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../config/loader.js';
import { previewPipeline } from '../../pipelines/preview.js';
import { createDemoWorkspace, type DemoWorkspace } from '../support/demo-workspace.js';

const PREMISES_RULES = `  surface.premises:
    - { when: { column: ZT, equals: "9" }, from: XZQH }
    - { from: JYCS, transform: [trim], required: true }
`;

describe('preview and personal columns read by a later rule or into a list', () => {
  let ws: DemoWorkspace;
  let premises: string[] = [];
  let items: string[] = [];
  beforeAll(async () => {
    ws = await createDemoWorkspace({ rows: 8, seed: 7 });
    const db = new Database(ws.legacyDb);
    try {
      premises = db.prepare('SELECT trim(JYCS) FROM T_SPXK_XKZ').pluck().all() as string[];
      items = (db.prepare('SELECT JYXM FROM T_SPXK_XKZ').pluck().all() as string[]).flatMap((t) =>
        t
          .split(/[；;]/)
          .map((s) => s.trim())
          .filter((s) => s.length > 4),
      );
    } finally {
      db.close();
    }
    const file = join(ws.dir, 'mappings', 'food-business-license.yaml');
    const mapping = await readFile(file, 'utf8');
    const changed = mapping
      .replace('personal: [FDDBR, FDDBRSFZ]', 'personal: [FDDBR, FDDBRSFZ, JYCS, JYXM]')
      .replace(/ {2}surface\.premises: .*\n/, PREMISES_RULES)
      .replace('  surface.businessItems:\n', '  surface.businessItems[]:\n');
    expect(changed).toContain('surface.businessItems[]:');
    expect(changed).toContain('- { from: JYCS');
    await writeFile(file, changed);
  });
  afterAll(async () => ws?.cleanup());

  it('masks the fields they feed', async () => {
    const config = await loadConfig({ file: ws.configFile, env: {} });
    const preview = await previewPipeline(config, 'food-business-licenses', { limit: 8, offset: 0 });
    const licensed = preview.rows.filter((r) => r.license);
    expect(licensed.length).toBeGreaterThan(3);
    expect(premises.length).toBeGreaterThan(3);
    expect(items.length).toBeGreaterThan(3);
    const shown = JSON.stringify(preview.rows);
    for (const p of premises) expect(shown).not.toContain(p);
    for (const i of items) expect(shown).not.toContain(i);
    for (const row of licensed) {
      expect(row.license?.['surface.premises']).toContain('*');
      const list = row.license?.['surface.businessItems'] as string[];
      expect(list.length).toBeGreaterThan(0);
      for (const item of list) expect(item).toContain('*');
    }
  });

  it('shows them with --show-personal', async () => {
    const config = await loadConfig({ file: ws.configFile, env: {} });
    const preview = await previewPipeline(config, 'food-business-licenses', {
      limit: 8,
      offset: 0,
      showPersonal: true,
    });
    const shown = preview.rows.flatMap((r) => (r.license ? [r.license['surface.premises']] : []));
    expect(shown.length).toBeGreaterThan(3);
    for (const p of shown) expect(premises).toContain(p);
  });
});
