/**
 * A stream keyed by a person's ID number (legacy tables often are): `preview` masks the key as it
 * masks the column, in text and in JSON, unless `--show-personal`. It printed the key whole on
 * every row's header while the docs say names and ID numbers are masked.
 */
import { readFile, writeFile } from 'node:fs/promises';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { licbridge } from '../support/cli.js';
import { createDemoWorkspace, type DemoWorkspace } from '../support/demo-workspace.js';

let ws: DemoWorkspace;
let ids: string[] = [];
const cli = (args: string[]) => licbridge([...args, '--config', ws.configFile], { cwd: ws.dir });

beforeAll(async () => {
  ws = await createDemoWorkspace({ rows: 20, seed: 11 });
  const db = new Database(ws.legacyDb);
  try {
    ids = (db.prepare('SELECT trim(FDDBRSFZ) FROM T_SPXK_XKZ').pluck().all() as string[]).filter(Boolean);
  } finally {
    db.close();
  }
  const yaml = await readFile(ws.configFile, 'utf8');
  const keyed = yaml.replace('key: ID,', 'key: FDDBRSFZ,');
  expect(keyed).not.toBe(yaml);
  await writeFile(ws.configFile, keyed);
});
afterAll(async () => {
  await ws?.cleanup();
});

describe('preview and a key that is an ID number', () => {
  it('masks the key in text and JSON', async () => {
    expect(ids.length).toBeGreaterThan(5);
    const text = await cli(['preview', 'food-business-licenses', '--limit', '20']);
    expect(text.status, text.stderr).toBe(0);
    const json = await cli(['preview', 'food-business-licenses', '--limit', '20', '--json']);
    expect(json.status, json.stderr).toBe(0);
    for (const id of ids) {
      expect(text.stdout).not.toContain(id);
      expect(json.stdout).not.toContain(id);
    }
    const keys = (JSON.parse(json.stdout) as { rows: { key: string }[] }).rows.map((r) => r.key);
    expect(keys.length).toBe(20);
    for (const k of keys) expect(k).toMatch(/^\d{4}\*+[0-9Xx]{4}$/);
    expect(text.stdout).toMatch(/── row 1 · key \d{4}\*+[0-9Xx]{4} /);
  });

  it('shows the key whole with --show-personal', async () => {
    const json = await cli([
      'preview',
      'food-business-licenses',
      '--limit',
      '20',
      '--json',
      '--show-personal',
    ]);
    const keys = (JSON.parse(json.stdout) as { rows: { key: string }[] }).rows.map((r) => r.key);
    expect(keys.every((k) => ids.includes(k))).toBe(true);
  });
});
