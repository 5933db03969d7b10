/**
 * `dlq list --target provnce` (a typo) printed `0 dead deliveries` and exited 0: read as "province
 * is clear" with its dead letters untouched. A `--target` or `--pipeline` the config does not have
 * and no dead letter names is now refused (exit 2) with the config's names; one removed from the
 * config whose dead letters remain is still listed, as `licbridge status` sends an operator there.
 */
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { licbridge } from '../support/cli.js';
import type { DemoWorkspace } from '../support/demo-workspace.js';
import { deadLetterWorkspace } from './dead-letter-workspace.js';

describe('dlq list with a target or pipeline the config does not have', () => {
  let ws: DemoWorkspace;

  beforeAll(async () => {
    ws = await deadLetterWorkspace(3);
  }, 120_000);
  afterAll(async () => ws?.cleanup().catch(() => undefined));

  it('refuses a name nothing holds, naming the config’s', async () => {
    const target = await licbridge(['dlq', 'list', '--target', 'provnce', '--config', ws.configFile]);
    expect(target.status).toBe(2);
    expect(target.stderr).toContain('unknown `--target` `provnce`');
    expect(target.stderr).toContain('province');
    expect(target.stdout).not.toContain('0 dead deliveries');
    const pipeline = await licbridge(['dlq', 'list', '--pipeline', 'food', '--config', ws.configFile]);
    expect(pipeline.status).toBe(2);
    expect(pipeline.stderr).toContain('unknown `--pipeline` `food`');
    expect(pipeline.stderr).toContain('food-business-licenses');
  }, 60_000);

  it('lists the dead letters of a name the config has, or one they still name', async () => {
    const known = await licbridge(['dlq', 'list', '--target', 'province', '--config', ws.configFile]);
    expect(known.status).toBe(0);
    expect(known.stdout).toMatch(/^[1-9]\d* dead deliveries$/m);
    const db = new Database(join(ws.dir, 'data', 'ledger.db'));
    db.prepare(`update deliveries set target = 'old-province'`).run();
    db.close();
    const removed = await licbridge(['dlq', 'list', '--target', 'old-province', '--config', ws.configFile]);
    expect(removed.status).toBe(0);
    expect(removed.stdout).toMatch(/^[1-9]\d* dead deliveries$/m);
    const clear = await licbridge(['dlq', 'list', '--target', 'province', '--config', ws.configFile]);
    expect(clear.status).toBe(0);
    expect(clear.stdout).toMatch(/^0 dead deliveries$/m);
  }, 60_000);
});
