/**
 * `audit verify` names what it found wrong, and a ledger rewritten in the database is what it looks
 * for: a delivery whose target was rewritten is named by its key, the target as the row now holds
 * it. `--json` printed the result with plain JSON.stringify, so a C1 control sequence or a bidi
 * override in that value reached the terminal as it was, and U+2028 or U+2029 cut the one line of
 * JSON in two for a reader splitting lines as Unicode does; the text line printed it as it was too.
 * Both are now written as `audit show` and `audit config` write their JSON Lines
 * (cli/commands/audit-json.ts), and the text line drops what a terminal would obey.
 */
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../config/loader.js';
import { createLogger } from '../../core/logger.js';
import { runPipelines } from '../../pipelines/run-pipelines.js';
import { licbridge } from '../support/cli.js';
import { createDemoWorkspace, type DemoWorkspace } from '../support/demo-workspace.js';

/** An 8-bit CSI (red), a right-to-left override and a paragraph separator. */
const TARGET = 'province\u009b31m\u202eevil\u2029x';

// As Python's splitlines reads lines.
const unicodeLines = (text: string) =>
  // biome-ignore lint/suspicious/noControlCharactersInRegex: the line breaks Unicode readers split on
  text.split(/\r\n|[\n\r\u2028\u2029\u0085\u000b\u000c]/).filter((l) => l !== '');
const obeyed = /[\u0080-\u009f\u202a-\u202e\u2066-\u2069]/;

describe('audit verify naming a rewritten delivery', () => {
  let ws: DemoWorkspace;
  const cli = (args: string[]) =>
    licbridge([...args, '--config', ws.configFile], { cwd: ws.dir, env: { LICBRIDGE_LOG_LEVEL: 'silent' } });

  beforeAll(async () => {
    ws = await createDemoWorkspace({ rows: 2, seed: 7 });
    const config = await loadConfig({ file: ws.configFile, env: process.env });
    await runPipelines(config, {
      pipelines: ['food-business-licenses'],
      full: false,
      logger: createLogger({ level: 'silent' }),
    });
    const db = new Database(config.ledger.url.slice('sqlite://'.length));
    try {
      const row = db
        .prepare("select version_id as id, target from deliveries where state = 'accepted' limit 1")
        .get() as { id: number; target: string } | undefined;
      if (!row) throw new Error('the demo run delivered nothing');
      db.prepare('update deliveries set target = ? where version_id = ? and target = ?').run(
        TARGET,
        row.id,
        row.target,
      );
    } finally {
      db.close();
    }
  }, 120_000);
  afterAll(async () => {
    await ws?.cleanup();
  });

  it('--json: one line as Unicode reads lines, nothing a terminal obeys, the target as the row holds it', async () => {
    const r = await cli(['audit', 'verify', '--json']);
    expect(r.status, r.stderr).toBe(1);
    expect(r.stdout).not.toMatch(obeyed);
    const lines = unicodeLines(r.stdout);
    expect(lines).toHaveLength(1);
    const result = JSON.parse(lines[0] as string) as { ok: boolean; firstBad: { message: string } };
    expect(result.ok).toBe(false);
    expect(result.firstBad.message).toContain(TARGET);
  });

  it('text: the line names the delivery without what a terminal obeys', async () => {
    const r = await cli(['audit', 'verify']);
    expect(r.status, r.stderr).toBe(1);
    expect(r.stdout).not.toMatch(obeyed);
    expect(r.stdout).toContain('provinceevil');
    expect(unicodeLines(r.stdout)).toHaveLength(1);
  });
});
