/**
 * `preview` prints each row's key, the source's column names and what a row would be quarantined
 * for (a value, a message) as they come: escape sequences were taken out, line breaks were not,
 * so a key or a column name holding one (a text key column, a quoted identifier) printed a line of
 * its own, which could read as another row's header or a `✗` reason. Each such field is now printed
 * on its line (terminalLine), as `dlq` and `status` print outside text.
 */
import { readFile, writeFile } from 'node:fs/promises';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { licbridge } from '../support/cli.js';
import { createDemoWorkspace, type DemoWorkspace } from '../support/demo-workspace.js';

const FORGED = '── row 9 · key FORGED · ok';

let ws: DemoWorkspace;
const cli = (args: string[]) => licbridge([...args, '--config', ws.configFile], { cwd: ws.dir });

beforeAll(async () => {
  ws = await createDemoWorkspace({ rows: 3, seed: 5 });
  const db = new Database(ws.legacyDb);
  try {
    db.prepare(
      `UPDATE T_SPXK_XKZ SET XKZBH = 'JY1' || char(10) || ? || char(13) || char(10) || '  ✗ FORGED_REASON'
         WHERE rowid = (SELECT min(rowid) FROM T_SPXK_XKZ)`,
    ).run(FORGED);
  } finally {
    db.close();
  }
  const yaml = await readFile(ws.configFile, 'utf8');
  const keyed = yaml.replace('key: ID,', 'key: XKZBH,');
  expect(keyed).not.toBe(yaml);
  await writeFile(ws.configFile, keyed);
}, 120_000);
afterAll(async () => {
  await ws?.cleanup();
});

describe('preview of a row whose key holds line breaks', () => {
  it('prints the key on its row header, forging no line', async () => {
    const r = await cli(['preview', 'food-business-licenses', '--limit', '3']);
    expect(r.status, r.stderr).toBe(0);
    const lines = r.stdout.split('\n');
    expect(lines.filter((l) => l.startsWith('── row'))).toHaveLength(3);
    expect(lines.some((l) => l.startsWith(FORGED))).toBe(false);
    expect(lines.some((l) => l.trimStart().startsWith('✗ FORGED_REASON'))).toBe(false);
    expect(r.stdout).not.toContain('\r');
    expect(r.stdout).toContain(`key JY1 ${FORGED} ✗ FORGED_REASON`);
  }, 60_000);
});
