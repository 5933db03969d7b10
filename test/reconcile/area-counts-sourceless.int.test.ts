/**
 * The source's counts per area add up to its total when the ledger holds licenses no source row
 * stands behind (a deletion answered by the policy, a license adopted from a platform: stored with
 * `source_fp = '-'`). Such a license is left out of the bucket digests, so its bucket can agree —
 * and the source side of an agreeing bucket must not take that license's area from the ledger.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../config/loader.js';
import type { Config } from '../../config/types.js';
import { createLogger } from '../../core/logger.js';
import { reconcilePipeline } from '../../pipelines/reconcile/reconcile.js';
import { runPipelines } from '../../pipelines/run-pipelines.js';
import { Runtime } from '../../pipelines/runtime.js';
import { createDemoWorkspace, type DemoWorkspace } from '../support/demo-workspace.js';

const logger = createLogger({ level: 'silent' });
const PIPELINE = 'food-business-licenses';
const TABLE = 'T_SPXK_XKZ';

describe('reconcile: area counts beside licenses without a source row', () => {
  let ws: DemoWorkspace;
  let config: Readonly<Config>;

  beforeAll(async () => {
    ws = await createDemoWorkspace({ rows: 40, seed: 5 });
    const yaml = await readFile(ws.configFile, 'utf8');
    await writeFile(ws.configFile, `${yaml}reconcile: { buckets: 64, deletedAtSource: revoke }\n`);
    config = await loadConfig({ file: ws.configFile, env: {} });
    const [s] = await runPipelines(config, { pipelines: [PIPELINE], full: false, logger });
    expect(s?.state).toBe('done');
  }, 60_000);
  afterAll(async () => {
    await ws?.cleanup();
  });

  it('counts no area for a license whose row is gone and whose deletion the policy answered', async () => {
    // The state a `revoke` repair leaves: the row deleted at the source, the license revoked and
    // marked as having no source row.
    const ledgerDb = new Database(join(ws.dir, 'data', 'ledger.db'));
    const key = ledgerDb
      .prepare(
        `select source_key from licenses where pipeline = ? and status = 'valid' order by license_id limit 1`,
      )
      .pluck()
      .get(PIPELINE) as string;
    ledgerDb
      .prepare(
        `update licenses set status = 'revoked', source_fp = '-', source_fp_ctx = null where source_key = ?`,
      )
      .run(key);
    ledgerDb.close();
    const legacy = new Database(ws.legacyDb);
    legacy.prepare(`delete from ${TABLE} where ID = ?`).run(key);
    legacy.close();

    const rt = new Runtime(config, logger);
    try {
      const report = await reconcilePipeline(rt, { pipeline: PIPELINE, targets: [], store: false });
      expect(report.byKind['deleted-at-source']).toBe(0);
      const { source, ledger } = report.counts;
      const sum = (counts: Record<string, number>) => Object.values(counts).reduce((a, b) => a + b, 0);
      expect(sum(source.byStatus)).toBe(source.total);
      expect(sum(source.byArea)).toBe(source.total);
      expect(sum(ledger.byArea)).toBe(ledger.total);
    } finally {
      await rt.close();
    }
  });
});
