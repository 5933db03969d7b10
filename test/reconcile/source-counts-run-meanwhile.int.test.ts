/**
 * A full check takes the business system's counts of the buckets whose digests agree from the
 * ledger: their statuses from the ledger's digests, their areas from the walk that counted the
 * ledger's areas, before the digests were read. A run committing licenses between the two (runs and
 * checks overlap, docs/reconciliation.md) put them in the business system's total and statuses of
 * an agreeing bucket but in none of its areas, and the report's counts did not add up. A bucket
 * whose licenses the two reads counted differently is read in detail, as a bucket that differs.
 */
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../config/loader.js';
import type { Config } from '../../config/types.js';
import { createLogger } from '../../core/logger.js';
import type { Ledger } from '../../ledger/ledger.js';
import { reconcilePipeline } from '../../pipelines/reconcile/reconcile.js';
import { runPipelines } from '../../pipelines/run-pipelines.js';
import { Runtime } from '../../pipelines/runtime.js';
import { createDemoWorkspace, type DemoWorkspace } from '../support/demo-workspace.js';

const logger = createLogger({ level: 'silent' });
const PIPELINE = 'food-business-licenses';
const TABLE = 'T_SPXK_XKZ';

const sum = (counts: Record<string, number>) => Object.values(counts).reduce((a, b) => a + b, 0);

describe('the business system side of a full check, a run committing meanwhile', () => {
  let ws: DemoWorkspace;
  let config: Readonly<Config>;

  const run = async () => {
    const [s] = await runPipelines(config, { pipelines: [PIPELINE], full: false, logger });
    expect(s?.state).toBe('done');
  };

  beforeAll(async () => {
    ws = await createDemoWorkspace({ rows: 30, seed: 89 });
    config = await loadConfig({ file: ws.configFile, env: {} });
    await run();
  }, 120_000);
  afterAll(async () => ws?.cleanup());

  it('adds up: its total, its statuses and its areas count the same records', async () => {
    // Two rows added to the business system, which the next run reads.
    const db = new Database(ws.legacyDb);
    try {
      const [from] = db.prepare(`SELECT ID FROM ${TABLE} ORDER BY ID LIMIT 1`).pluck().all() as number[];
      const top = db.prepare(`SELECT MAX(ID) FROM ${TABLE}`).pluck().get() as number;
      for (const id of [top + 1, top + 2]) {
        db.prepare(`CREATE TEMP TABLE r AS SELECT * FROM ${TABLE} WHERE ID = ?`).run(from);
        db.prepare(`UPDATE r SET ID = ?, GXSJ = '2099-01-01 00:00:00'`).run(id);
        db.exec(`INSERT INTO ${TABLE} SELECT * FROM r; DROP TABLE r`);
      }
    } finally {
      db.close();
    }

    const rt = new Runtime(config, logger);
    try {
      const real = await rt.ledger();
      let ran = false;
      // The areas are counted; then, before the ledger's digests are read, a run commits the two.
      const during = new Proxy(real, {
        get(target, prop) {
          const value = Reflect.get(target, prop, target);
          if (typeof value !== 'function') return value;
          if (prop !== 'ledgerBuckets') return value.bind(target);
          return async (...args: unknown[]) => {
            if (!ran) {
              ran = true;
              await run();
            }
            return (value as (...a: unknown[]) => unknown).apply(target, args);
          };
        },
      }) as Ledger;
      rt.ledger = async () => during;
      const report = await reconcilePipeline(rt, { pipeline: PIPELINE, store: false });

      expect(ran).toBe(true);
      const source = report.counts.source;
      expect(sum(source.byStatus)).toBe(source.total);
      expect(sum(source.byArea)).toBe(source.total);
    } finally {
      await rt.close();
    }
  }, 120_000);
});
