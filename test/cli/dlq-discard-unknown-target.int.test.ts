/**
 * `dlq discard --target provnce --all` (a typo) discarded nothing, printed `discarded 0` and exited
 * 0: read as "province's dead letters are closed" with every one of them still dead. As `dlq list`
 * does (dlq-list-unknown-filter.int.test.ts), a `--target` the config does not have and no dead
 * letter names is refused (exit 2) with the config's targets; the dead letters of a target removed
 * from the config are still discarded, as `dlq replay` and `licbridge status` send an operator there.
 */
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { licbridge } from '../support/cli.js';
import type { DemoWorkspace } from '../support/demo-workspace.js';
import { deadLetterWorkspace } from './dead-letter-workspace.js';

describe('dlq discard --all with a target the config does not have', () => {
  let ws: DemoWorkspace;
  const cli = (args: string[]) => licbridge([...args, '--config', ws.configFile], { cwd: ws.dir });
  const dead = (): number => {
    const db = new Database(join(ws.dir, 'data', 'ledger.db'), { readonly: true });
    try {
      return (db.prepare(`select count(*) as n from deliveries where state = 'dead'`).get() as { n: number })
        .n;
    } finally {
      db.close();
    }
  };

  beforeAll(async () => {
    ws = await deadLetterWorkspace(3);
  }, 120_000);
  afterAll(async () => ws?.cleanup().catch(() => undefined));

  it('refuses a target nothing holds, naming the config’s, and leaves the dead letters dead', async () => {
    const before = dead();
    expect(before).toBeGreaterThan(0);
    for (const json of [[], ['--json']]) {
      const r = await cli(['dlq', 'discard', '--target', 'provnce', '--all', ...json]);
      expect(r.status, r.stderr).toBe(2);
      expect(r.stderr).toContain('unknown `--target` `provnce`');
      expect(r.stderr).toContain('province');
      expect(r.stdout).not.toContain('discarded 0');
    }
    expect(dead()).toBe(before);
  }, 60_000);

  it('discards the dead letters of a target removed from the config', async () => {
    const before = dead();
    const db = new Database(join(ws.dir, 'data', 'ledger.db'));
    db.prepare(`update deliveries set target = 'old-province'`).run();
    db.close();
    const r = await cli(['dlq', 'discard', '--target', 'old-province', '--all']);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toContain(`discarded ${before}`);
    expect(dead()).toBe(0);
    // Nothing left to discard of a target the config has: done, as before.
    const again = await cli(['dlq', 'discard', '--target', 'province', '--all']);
    expect(again.status, again.stderr).toBe(0);
    expect(again.stdout).toContain('discarded 0');
  }, 60_000);
});
