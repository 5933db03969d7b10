/**
 * A dead letter of a pipeline that no longer delivers to its target, the target still in the config
 * for other pipelines (the pipeline moved to `province-v2`): replayed, it went to `province`,
 * where the pipeline's config no longer sends its licenses, and a lost job's delivery waited
 * `pending` where no sweep of the pipeline looks. It stays dead and is named, as a dead letter of
 * a target the config no longer has is (dlq-replay-unfinished).
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../config/loader.js';
import { createLogger } from '../../core/logger.js';
import { listDeadLetters, replayDeadLetters } from '../../pipelines/dead-letters.js';
import { runPipelines } from '../../pipelines/run-pipelines.js';
import { createDemoWorkspace, type DemoWorkspace } from '../support/demo-workspace.js';

const logger = createLogger({ level: 'silent' });

describe('replaying a dead letter of a target its pipeline no longer delivers to', () => {
  let ws: DemoWorkspace;

  beforeAll(async () => {
    ws = await createDemoWorkspace({ rows: 5 });
    const config = await loadConfig({ file: ws.configFile, env: {} });
    const [s] = await runPipelines(config, { pipelines: ['food-business-licenses'], full: false, logger });
    expect(s?.state).toBe('done');
    const db = new Database(join(ws.dir, 'data', 'ledger.db'));
    try {
      db.prepare(
        `update deliveries set state = 'dead', reasons = '["x"]'
          where version_id in (select version_id from deliveries order by version_id limit 2)`,
      ).run();
    } finally {
      db.close();
    }
  }, 60_000);
  afterAll(async () => ws?.cleanup().catch(() => undefined));

  it('leaves it dead: named, it is refused; with --all, it is skipped', async () => {
    // The pipeline now delivers to province-v2, a copy of province; province stays in the config.
    const yaml = await readFile(ws.configFile, 'utf8');
    const province = yaml.slice(yaml.indexOf('\n  province:\n') + '\n  province:\n'.length);
    const moved = `${yaml.replace('targets: [province]', 'targets: [province-v2]')}  province-v2:\n${province}`;
    const file = join(ws.dir, 'moved.yaml');
    await writeFile(file, moved);
    const config = await loadConfig({ file, env: {} });
    expect(Object.keys(config.targets)).toEqual(['province', 'province-v2']);
    expect(config.pipelines['food-business-licenses']?.targets).toEqual(['province-v2']);

    const dead = await listDeadLetters(config, { limit: 10 });
    expect(dead.map((d) => d.target)).toEqual(['province', 'province']);
    await expect(
      replayDeadLetters(config, { keys: [dead[0]?.key as string], timeoutMs: 3000, logger }),
    ).rejects.toThrow(
      /belong to a pipeline or target the config does not have, or to a target their pipeline no longer delivers to \(food-business-licenses → province\); nothing was replayed/,
    );
    const all = await replayDeadLetters(config, { timeoutMs: 3000, logger });
    expect(all.replayed).toEqual([]);
    expect(all.skipped.map((d) => d.key)).toEqual(dead.map((d) => d.key));
    expect(await listDeadLetters(config, { limit: 10 })).toHaveLength(2);
  }, 60_000);
});
