/**
 * `dlq replay --all`/`--target` and `dlq discard --target T --all` take at most 100,000 dead
 * letters a run (`atOnce`); docs/sync.md says to run them again for the rest, but nothing told the
 * operator there was a rest: `replayed 100000`, exit 0, with more dead letters still dead. The
 * result now says so (`more`), and the command prints it.
 */
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../config/loader.js';
import type { Config } from '../../config/types.js';
import { createLogger } from '../../core/logger.js';
import { discardDeadLetters, listDeadLetters } from '../../pipelines/dead-letters.js';
import { runPipelines } from '../../pipelines/run-pipelines.js';
import { createDemoWorkspace, type DemoWorkspace } from '../support/demo-workspace.js';

const logger = createLogger({ level: 'silent' });

describe('dead letters taken a part at a time', () => {
  let ws: DemoWorkspace;
  let config: Readonly<Config>;

  beforeAll(async () => {
    ws = await createDemoWorkspace({ rows: 5 });
    config = await loadConfig({ file: ws.configFile, env: {} });
    const [s] = await runPipelines(config, { pipelines: ['food-business-licenses'], full: false, logger });
    expect(s?.state).toBe('done');
    const db = new Database(join(ws.dir, 'data', 'ledger.db'));
    try {
      db.prepare(`update deliveries set state = 'dead', reasons = '["x"]'`).run();
    } finally {
      db.close();
    }
  }, 60_000);
  afterAll(async () => ws?.cleanup().catch(() => undefined));

  it('says when dead letters are left past what one run takes, and not once none are', async () => {
    const dead = (await listDeadLetters(config, { limit: 10 })).length;
    expect(dead).toBeGreaterThan(2);
    const first = await discardDeadLetters(config, { target: 'province', atOnce: dead - 1 });
    expect(first.discarded).toHaveLength(dead - 1);
    expect(first.more).toBe(true);
    const rest = await discardDeadLetters(config, { target: 'province', atOnce: dead - 1 });
    expect(rest.discarded).toHaveLength(1);
    expect(rest.more).toBe(false);
    expect(await listDeadLetters(config, { limit: 10 })).toHaveLength(0);
  }, 60_000);
});
