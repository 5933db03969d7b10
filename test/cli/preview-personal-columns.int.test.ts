/**
 * A column the mapping lists under `personal:` is masked in preview wherever it shows: in the
 * source beside the license and in the license field it feeds, whatever that field is named
 * (docs/mapping-language.md: "masked in reasons, preview and logs"). The field it fed was shown
 * whole when its name did not look personal (`surface.premises`, a sole trader's home address).
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { licbridge } from '../support/cli.js';
import { createDemoWorkspace, type DemoWorkspace } from '../support/demo-workspace.js';

interface PreviewJson {
  rows: { source: Record<string, string | null>; license?: Record<string, unknown> }[];
}

let ws: DemoWorkspace;
let premises: string[] = [];
const cli = (args: string[]) => licbridge([...args, '--config', ws.configFile], { cwd: ws.dir });

beforeAll(async () => {
  ws = await createDemoWorkspace({ rows: 20, seed: 5 });
  const db = new Database(ws.legacyDb);
  try {
    premises = (db.prepare('SELECT trim(JYCS) FROM T_SPXK_XKZ').pluck().all() as string[]).filter(Boolean);
  } finally {
    db.close();
  }
  const file = join(ws.dir, 'mappings', 'food-business-license.yaml');
  const mapping = await readFile(file, 'utf8');
  const listed = mapping.replace('personal: [FDDBR, FDDBRSFZ]', 'personal: [FDDBR, FDDBRSFZ, JYCS]');
  expect(listed).not.toBe(mapping);
  await writeFile(file, listed);
});
afterAll(async () => {
  await ws?.cleanup();
});

describe('preview and a column listed as personal', () => {
  it('masks the license field it feeds, as it masks the column', async () => {
    expect(premises.length).toBeGreaterThan(5);
    const r = await cli(['preview', 'food-business-licenses', '--limit', '20', '--json']);
    expect(r.status, r.stderr).toBe(0);
    const { rows } = JSON.parse(r.stdout) as PreviewJson;
    const licensed = rows.filter((row) => row.license);
    expect(licensed.length).toBeGreaterThan(5);
    for (const row of licensed) {
      expect(row.source.JYCS).toContain('*');
      expect(row.license?.['surface.premises']).toContain('*');
    }
    const text = await cli(['preview', 'food-business-licenses', '--limit', '20']);
    for (const p of premises) {
      expect(r.stdout).not.toContain(p);
      expect(text.stdout).not.toContain(p);
    }
  });

  it('shows it with --show-personal', async () => {
    const r = await cli(['preview', 'food-business-licenses', '--limit', '20', '--json', '--show-personal']);
    const { rows } = JSON.parse(r.stdout) as PreviewJson;
    const shown = rows.flatMap((row) => (row.license ? [row.license['surface.premises']] : []));
    expect(shown.length).toBeGreaterThan(5);
    for (const p of shown) expect(premises).toContain(p);
  });
});
