/**
 * A dead-letter replay says what it did not finish. With the platform still down, the replayed
 * deliveries left the dead-letter list and the wait ended with them pending, yet the replay
 * printed "accepted 0; dead again 0" and exited 0. Dead letters of a target the config no longer
 * has were moved to pending where no queue or sweep ever looks; they now stay dead and are named.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../config/loader.js';
import type { Config } from '../../config/types.js';
import { createLogger } from '../../core/logger.js';
import { listDeadLetters, replayDeadLetters } from '../../pipelines/dead-letters.js';
import { runPipelines } from '../../pipelines/run-pipelines.js';
import { licbridge } from '../support/cli.js';
import { createDemoWorkspace, type DemoWorkspace } from '../support/demo-workspace.js';

const logger = createLogger({ level: 'silent' });

describe('dead-letter replays that cannot finish', () => {
  let ws: DemoWorkspace;
  let config: Readonly<Config>;

  /** Three deliveries dead-lettered, as a rejection leaves them. */
  function deadLetterThree(): string[] {
    const db = new Database(join(ws.dir, 'data', 'ledger.db'));
    try {
      db.prepare(
        `update deliveries set state = 'dead', reasons = '["x"]'
          where version_id in (select version_id from deliveries order by version_id limit 3)`,
      ).run();
      return db
        .prepare("select version_id from deliveries where state = 'dead' order by version_id")
        .pluck()
        .all() as string[];
    } finally {
      db.close();
    }
  }

  beforeEach(async () => {
    ws = await createDemoWorkspace({ rows: 20 });
    config = await loadConfig({ file: ws.configFile, env: {} });
    const [s] = await runPipelines(config, { pipelines: ['food-business-licenses'], full: false, logger });
    expect(s?.state).toBe('done');
  }, 60_000);
  afterAll(async () => ws?.cleanup().catch(() => undefined));

  it('with the platform still down: not settled, and the command fails naming what is not final', async () => {
    expect(deadLetterThree()).toHaveLength(3);
    await ws.simulator.close();
    // The platform stays down: however long the wait, it ends with the deliveries pending.
    const result = await replayDeadLetters(config, { timeoutMs: 1000, logger });
    expect(result.replayed).toHaveLength(3);
    expect(result.settled).toBe(false);
    expect(result.outcomes.filter((o) => o.state === 'pending')).toHaveLength(3);

    expect(deadLetterThree()).toHaveLength(3);
    const cli = await licbridge(['dlq', 'replay', '--all', '--wait-seconds', '1', '--config', ws.configFile]);
    expect(cli.status).toBe(1);
    expect(cli.stdout).toContain('replayed 3; accepted 0; dead again 0; not final yet 3');
    expect(cli.stdout).toContain('3 still queued when the wait ended');
    await ws.cleanup();
  }, 240_000);

  it('dead letters of a target the config no longer has stay dead and are named', async () => {
    expect(deadLetterThree()).toHaveLength(3);
    const yaml = (await readFile(ws.configFile, 'utf8'))
      .replace('targets: [province]', 'targets: [province-v2]')
      .replace(/\n {2}province:\n/, '\n  province-v2:\n');
    const file = join(ws.dir, 'renamed.yaml');
    await writeFile(file, yaml);
    const renamed = await loadConfig({ file, env: {} });
    expect(Object.keys(renamed.targets)).toEqual(['province-v2']);

    const result = await replayDeadLetters(renamed, { timeoutMs: 3000, logger });
    expect(result.replayed).toEqual([]);
    expect(result.skipped.map((d) => d.target)).toEqual(['province', 'province', 'province']);
    expect(await listDeadLetters(renamed, { limit: 10 })).toHaveLength(3);

    const named = result.skipped[0]?.key as string;
    await expect(replayDeadLetters(renamed, { keys: [named], timeoutMs: 3000, logger })).rejects.toThrow(
      /belong to a pipeline or target the config does not have, or to a target their pipeline no longer delivers to \(food-business-licenses → province\); nothing was replayed/,
    );
    const cli = await licbridge(['dlq', 'replay', '--all', '--wait-seconds', '3', '--config', file]);
    expect(cli.status).toBe(1);
    expect(cli.stdout).toContain('3 left dead: their pipeline or target is not in the config');
    expect(await listDeadLetters(renamed, { limit: 10 })).toHaveLength(3);
    await ws.cleanup();
  }, 120_000);
});
