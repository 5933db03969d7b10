/**
 * `dlq replay --all` took the first 100,000 dead letters (`atOnce`) and replayed those it could:
 * when all of them were left dead (their target gone from the pipeline, or superseded), every run
 * took the same ones again, replayed nothing, said `more`, and never reached the dead letters
 * after them. It now walks the list past those it leaves dead.
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

describe('replaying all dead letters past those left dead', () => {
  let ws: DemoWorkspace;

  beforeAll(async () => {
    ws = await createDemoWorkspace({ rows: 5 });
    const config = await loadConfig({ file: ws.configFile, env: {} });
    const [s] = await runPipelines(config, { pipelines: ['food-business-licenses'], full: false, logger });
    expect(s?.state).toBe('done');
    // Every delivery (a license each) dead at `province`, and a dead copy of each at `province-v2`, which sorts after.
    const db = new Database(join(ws.dir, 'data', 'ledger.db'));
    try {
      const columns = (db.prepare('pragma table_info(deliveries)').all() as { name: string }[]).map(
        (c) => c.name,
      );
      const values = columns.map((c) =>
        c === 'target'
          ? `'province-v2'`
          : c === 'delivery_key'
            ? `replace(delivery_key, ':province', ':province-v2')`
            : c,
      );
      db.prepare(`update deliveries set state = 'dead', reasons = '["x"]'`).run();
      db.prepare(
        `insert into deliveries (${columns.join(', ')}) select ${values.join(', ')} from deliveries`,
      ).run();
    } finally {
      db.close();
    }
  }, 60_000);
  afterAll(async () => ws?.cleanup().catch(() => undefined));

  it('replays the later ones, a part at a time, until none is left', async () => {
    // The pipeline now delivers to province-v2, a copy of province; province stays in the config.
    const yaml = await readFile(ws.configFile, 'utf8');
    const province = yaml.slice(yaml.indexOf('\n  province:\n') + '\n  province:\n'.length);
    const file = join(ws.dir, 'moved.yaml');
    await writeFile(
      file,
      `${yaml.replace('targets: [province]', 'targets: [province-v2]')}  province-v2:\n${province}`,
    );
    const config = await loadConfig({ file, env: {} });
    expect(config.pipelines['food-business-licenses']?.targets).toEqual(['province-v2']);
    const deadAt = async (target: string) =>
      (await listDeadLetters(config, { target, limit: 100 })).map((d) => d.key);
    const left = await deadAt('province');
    const owed = await deadAt('province-v2');
    // More than one run takes (3), each license at both targets.
    expect(left.length).toBeGreaterThan(3);
    expect(owed).toHaveLength(left.length);

    // The first 3 taken are all left dead (province); those after them are still reached.
    const first = await replayDeadLetters(config, { atOnce: 3, timeoutMs: 20_000, logger });
    expect(first.replayed.map((d) => d.key)).toEqual(owed.slice(0, 3));
    expect(first.skipped.map((d) => d.key)).toEqual(left);
    expect(first.more).toBe(true);
    expect(first.outcomes.map((o) => o.state)).toEqual(['accepted', 'accepted', 'accepted']);

    const rest = await replayDeadLetters(config, { atOnce: 3, timeoutMs: 20_000, logger });
    expect(rest.replayed.map((d) => d.key)).toEqual(owed.slice(3));
    expect(rest.more).toBe(false);
    expect(await deadAt('province-v2')).toEqual([]);
    expect(await deadAt('province')).toEqual(left);
  }, 90_000);
});
