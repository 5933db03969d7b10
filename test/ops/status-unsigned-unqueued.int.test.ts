/**
 * Versions waiting for their seal while no job of the pipeline holds them (a sign job removed, lost
 * with a Redis restarted without persistence) stay unsigned until a `licbridge run` sweeps them:
 * their run shows `signing` for ever. `licbridge status` names them, as it names deliveries no job holds.
 */
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DemoWorkspace } from '../support/demo-workspace.js';
import { foodRunWorkspace, FOOD_PIPELINE as PIPELINE } from './food-run-workspace.js';
import { licbridge } from './ops-fixtures.js';

describe('status: versions awaiting signature that no job holds', () => {
  let ws: DemoWorkspace;
  beforeAll(async () => {
    ws = await foodRunWorkspace(60);
  }, 120_000);
  afterAll(async () => ws?.cleanup());

  it('exits 3 naming them, and 0 once a run has signed them', async () => {
    const ok = await licbridge(['status', '--no-sources', '--config', ws.configFile]);
    expect(ok.status, ok.stdout).toBe(0);

    // Two versions lose their signatures as if their sign job never ran.
    const db = new Database(join(ws.dir, 'data', 'ledger.db'));
    try {
      db.prepare(
        'delete from signatures where version_id in (select version_id from license_versions order by version_id limit 2)',
      ).run();
    } finally {
      db.close();
    }
    const bad = await licbridge(['status', '--no-sources', '--json', '--config', ws.configFile]);
    expect(bad.status, bad.stdout).toBe(3);
    const report = JSON.parse(bad.stdout) as {
      attention: string[];
      pipelines: { awaitingSignature: number }[];
    };
    expect(report.pipelines[0]?.awaitingSignature).toBe(2);
    expect(report.attention).toContain(
      `pipeline ${PIPELINE}: 2 version(s) await the signature of seal 3702110000001 and no job holds them (removed, lost with Redis, or failed before signing); \`licbridge run ${PIPELINE}\` queues them again; if \`sign backfill\` or \`licbridge quarantine list --reason LB_STORED_TEXT\` names their stored text corrupt, restore it from a backup of the ledger first`,
    );

    const run = await licbridge(['run', PIPELINE, '--config', ws.configFile]);
    expect(run.status, run.stdout + run.stderr).toBe(0);
    const after = await licbridge(['status', '--no-sources', '--config', ws.configFile]);
    expect(after.status, after.stdout).toBe(0);
  }, 120_000);
});
