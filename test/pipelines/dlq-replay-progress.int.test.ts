/**
 * `licbridge dlq replay` shows on stderr how many of the replayed deliveries are final while it
 * waits for them, as counts: a replay of a week's dead letters said nothing until its summary.
 * `--json` keeps stderr free of it, as `run` and `demo` do. `--progress-interval 0` writes a line
 * at each look, so the test needs no clock: the default waits five seconds before the first line.
 */
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../config/loader.js';
import { createLogger } from '../../core/logger.js';
import { runPipelines } from '../../pipelines/run-pipelines.js';
import { licbridge } from '../support/cli.js';
import { createDemoWorkspace, type DemoWorkspace } from '../support/demo-workspace.js';

const logger = createLogger({ level: 'silent' });

/** The progress lines of a command's stderr (its log lines are JSON or start with a level). */
const progressLines = (stderr: string) => stderr.split('\n').filter((l) => l.startsWith('dlq replay: '));

describe('dlq replay: progress', () => {
  let ws: DemoWorkspace;

  /** Three deliveries dead-lettered, as a rejection leaves them. */
  function deadLetterThree(): number {
    const db = new Database(join(ws.dir, 'data', 'ledger.db'));
    try {
      return db
        .prepare(
          `update deliveries set state = 'dead', reasons = '["x"]'
            where version_id in (select version_id from deliveries order by version_id limit 3)`,
        )
        .run().changes;
    } finally {
      db.close();
    }
  }

  beforeAll(async () => {
    ws = await createDemoWorkspace({ rows: 20 });
    const config = await loadConfig({ file: ws.configFile, env: {} });
    const [s] = await runPipelines(config, { pipelines: ['food-business-licenses'], full: false, logger });
    expect(s?.state).toBe('done');
  }, 60_000);
  afterAll(async () => ws?.cleanup().catch(() => undefined));

  it('counts the replayed deliveries final on stderr while it waits; none with --json', async () => {
    expect(deadLetterThree()).toBe(3);
    const shown = await licbridge([
      'dlq',
      'replay',
      '--all',
      '--progress-interval',
      '0',
      '--config',
      ws.configFile,
    ]);
    expect(shown.status, shown.stderr).toBe(0);
    expect(shown.stdout).toContain('replayed 3; accepted 3; dead again 0');
    const lines = progressLines(shown.stderr);
    expect(lines.length).toBeGreaterThan(0);
    for (const l of lines) expect(l).toMatch(/^dlq replay: deliveries final: \d\/3 \(\d+\.\d%\) \d+\/s ETA /);
    expect(lines.at(-1)).toMatch(/^dlq replay: deliveries final: 3\/3 \(100\.0%\)/);
    // Never on stdout, which holds the outcome alone.
    expect(shown.stdout).not.toContain('deliveries final');

    expect(deadLetterThree()).toBe(3);
    const json = await licbridge([
      'dlq',
      'replay',
      '--all',
      '--progress-interval',
      '0',
      '--json',
      '--config',
      ws.configFile,
    ]);
    expect(JSON.parse(json.stdout)).toMatchObject({ replayed: 3, waited: true });
    expect(progressLines(json.stderr)).toEqual([]);
  }, 120_000);

  it('refuses a --progress-interval that is no whole number of seconds', async () => {
    const r = await licbridge([
      'dlq',
      'replay',
      '--all',
      '--progress-interval',
      '-1',
      '--config',
      ws.configFile,
    ]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('dlq replay: expected `--progress-interval` to be a whole number of seconds');
  });
});
