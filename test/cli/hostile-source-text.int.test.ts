/**
 * A hostile value in the department's database — a business-items text and a table name carrying
 * an OSC window title, colours and a bidi override — reaches the terminal of `preview` and
 * `discover` (text and `--json`) as plain text.
 */
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { licbridge } from '../support/cli.js';
import { createDemoWorkspace, type DemoWorkspace } from '../support/demo-workspace.js';

const ESC = '\u001b';
const HOSTILE = `${ESC}]0;pwned-title\u0007${ESC}[41m餐饮服务\u202e${ESC}[0m\u009b2J`;
// biome-ignore lint/suspicious/noControlCharactersInRegex: it looks for control characters on purpose
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/;

let ws: DemoWorkspace;

beforeAll(async () => {
  ws = await createDemoWorkspace({ rows: 3, seed: 8 });
  const db = new Database(ws.legacyDb);
  db.prepare('UPDATE T_SPXK_XKZ SET JYXM = ?').run(HOSTILE);
  db.exec(`CREATE TABLE "T_EVIL${ESC}]0;pwned-title\u0007${ESC}[31m" (ID INTEGER PRIMARY KEY)`);
  db.close();
});
afterAll(async () => ws?.cleanup());

async function cli(args: string[]) {
  return licbridge([...args, '--config', ws.configFile], { cwd: ws.dir });
}

describe("a source's values reach the terminal as plain text", () => {
  it('in preview', async () => {
    const text = await cli(['preview', 'food-business-licenses', '--limit', '3']);
    expect(text.status, text.stderr).toBe(0);
    expect(text.stdout).toContain('餐饮服务');
    const json = await cli(['preview', 'food-business-licenses', '--limit', '3', '--json']);
    expect(json.stdout).toContain('餐饮服务');
    for (const r of [text, json]) {
      expect(r.stdout).not.toMatch(CONTROL);
      expect(r.stderr).not.toMatch(CONTROL);
    }
  });

  it('in discover', async () => {
    const text = await cli(['discover', 'market-food']);
    expect(text.status, text.stderr).toBe(0);
    expect(text.stdout).toContain('T_EVIL');
    expect(text.stdout).not.toContain('pwned-title');
    const json = await cli(['discover', 'market-food', '--json']);
    for (const r of [text, json]) {
      expect(r.stdout).not.toMatch(CONTROL);
      expect(r.stderr).not.toMatch(CONTROL);
    }
  });
});
