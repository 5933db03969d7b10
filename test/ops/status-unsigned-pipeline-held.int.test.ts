/**
 * The note naming versions that await their seal with no job holding them said `licbridge run P`
 * queues them again, also while another run held the pipeline (a `licbridge run` past its
 * extraction, waiting on its jobs or making its light check; one killed on another host until its
 * lease runs out): that `licbridge run` is refused (exit 4, pipeline-lease.ts) and queues nothing.
 * The note now names the run holding the pipeline and when its lease runs out, and says to run the
 * pipeline once that run has let go; the deliveries' note likewise.
 */
import { hostname } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openLedger } from '../../ledger/open-ledger.js';
import type { DemoWorkspace } from '../support/demo-workspace.js';
import { foodRunWorkspace, FOOD_PIPELINE as PIPELINE } from './food-run-workspace.js';
import { licbridge } from './ops-fixtures.js';

describe('status: versions no job holds while another run holds the pipeline', () => {
  let ws: DemoWorkspace;
  beforeAll(async () => {
    ws = await foodRunWorkspace(20);
  }, 120_000);
  afterAll(async () => ws?.cleanup());

  it('names the holding run instead of a licbridge run that is refused', async () => {
    // Two versions lose their signatures as if their sign job never ran.
    const db = new Database(join(ws.dir, 'data', 'ledger.db'));
    try {
      db.prepare(
        'delete from signatures where version_id in (select version_id from license_versions order by version_id limit 2)',
      ).run();
    } finally {
      db.close();
    }
    // Another run holds the pipeline: a live process (this one) renewing its lease.
    const ledger = await openLedger(`sqlite://${join(ws.dir, 'data', 'ledger.db')}`);
    const runId = `held-${process.pid}`;
    const holder = `${hostname()} ${process.pid}`;
    try {
      expect(await ledger.pipelineLeases.claim({ pipeline: PIPELINE, runId, holder, forMs: 600_000 })).toBe(
        null,
      );
      const refused = await licbridge(['run', PIPELINE, '--config', ws.configFile]);
      expect(refused.status, refused.stdout + refused.stderr).toBe(4);

      const bad = await licbridge(['status', '--no-sources', '--json', '--config', ws.configFile]);
      expect(bad.status, bad.stdout).toBe(3);
      const { attention } = JSON.parse(bad.stdout) as { attention: string[] };
      const note = attention.find((a) => a.includes('await the signature of seal'));
      expect(note, attention.join('\n')).toBeDefined();
      expect(note).not.toContain(`before signing); \`licbridge run ${PIPELINE}\` queues them again`);
      expect(note).toContain(`run ${runId} holds the pipeline`);
      expect(note).toContain(`\`licbridge run ${PIPELINE}\` is refused until it lets go`);
    } finally {
      await ledger.pipelineLeases.release(PIPELINE, runId, holder);
      await ledger.close();
    }

    // Let go: the note says to run it again, and the run signs them.
    const free = await licbridge(['status', '--no-sources', '--json', '--config', ws.configFile]);
    expect((JSON.parse(free.stdout) as { attention: string[] }).attention).toContain(
      `pipeline ${PIPELINE}: 2 version(s) await the signature of seal 3702110000001 and no job holds them (removed, lost with Redis, or failed before signing); \`licbridge run ${PIPELINE}\` queues them again; if \`sign backfill\` or \`licbridge quarantine list --reason LB_STORED_TEXT\` names their stored text corrupt, restore it from a backup of the ledger first`,
    );
    const run = await licbridge(['run', PIPELINE, '--config', ws.configFile]);
    expect(run.status, run.stdout + run.stderr).toBe(0);
  }, 120_000);
});
