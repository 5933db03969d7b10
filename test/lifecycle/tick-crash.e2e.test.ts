/**
 * `licbridge lifecycle run` SIGKILLed right after the day's watermark is written
 * (core/crash-point.ts, `lifecycle-tick-recorded`): the day's `expire` versions are in the ledger
 * and none was queued. Run again on the same day, the command finds the day ticked and still has
 * those versions signed and delivered — once each. Needs `npm run build`.
 */
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { licbridge, licbridgeProcess } from '../support/cli.js';
import { createDemoWorkspace, type DemoWorkspace } from '../support/demo-workspace.js';

const PIPELINE = 'food-business-licenses';
const FIRST_DAY = '2022-06-01';
const DAY = '2023-06-01';

describe('lifecycle run killed after the day is recorded', () => {
  let ws: DemoWorkspace;
  const ledgerSql = <T>(work: (db: Database.Database) => T): T => {
    const db = new Database(join(ws.dir, 'data', 'ledger.db'), { readonly: true });
    try {
      return work(db);
    } finally {
      db.close();
    }
  };

  beforeAll(async () => {
    ws = await createDemoWorkspace({ rows: 60, seed: 11 });
    const synced = await licbridge(['run', '--all', '--json', '--config', ws.configFile], {
      env: { LICBRIDGE_TODAY: FIRST_DAY },
      timeoutMs: 120_000,
    });
    expect(synced.status, synced.stderr).toBe(0);
  }, 180_000);
  afterAll(async () => ws?.cleanup());

  it('the same-day retry delivers the expiries the killed run recorded', { timeout: 180_000 }, async () => {
    const accepted = ws.simulator.stats().accepted;
    const killed = await licbridgeProcess(['lifecycle', 'run', '--today', DAY, '--config', ws.configFile], {
      env: { LICBRIDGE_TEST_CRASH_AT: 'lifecycle-tick-recorded:1' },
      timeoutMs: 120_000,
    });
    expect(killed.signal, killed.stderr).toBe('SIGKILL');
    const expired = ledgerSql(
      (db) =>
        (
          db
            .prepare("SELECT count(*) AS n FROM license_versions WHERE operation = 'expire' AND pipeline = ?")
            .get(PIPELINE) as { n: number }
        ).n,
    );
    expect(expired).toBeGreaterThan(0);
    expect(
      ledgerSql((db) => db.prepare('SELECT day FROM lifecycle_ticks WHERE pipeline = ?').get(PIPELINE)),
    ).toEqual({ day: DAY });
    expect(ws.simulator.stats().accepted).toBe(accepted);

    const again = await licbridge(['lifecycle', 'run', '--today', DAY, '--json', '--config', ws.configFile], {
      timeoutMs: 120_000,
    });
    expect(again.status, again.stderr).toBe(0);
    expect(JSON.parse(again.stdout).pipelines[0]).toMatchObject({
      pipeline: PIPELINE,
      outcome: 'done-today',
    });
    expect(ws.simulator.stats().accepted).toBe(accepted + expired);
    // Once each: no license was expired twice, and a third run sends nothing more.
    const third = await licbridge(['lifecycle', 'run', '--today', DAY, '--config', ws.configFile]);
    expect(third.status, third.stderr).toBe(0);
    expect(ws.simulator.stats().accepted).toBe(accepted + expired);
    // The text says what the day's tick has done by now, not that there was nothing to do.
    expect(third.stdout).toContain(
      `${PIPELINE}: already ticked for ${DAY} (that tick's versions: signed ${expired}, delivered province ${expired})`,
    );
  });
});
