/**
 * A full check counts licbridge's licenses per area while it walks the ledger, before the source is
 * read, and its total and statuses once more when every target is compared: a run committing
 * licenses while the check worked (checks and runs overlap, docs/reconciliation.md) made the two
 * disagree, the report's licbridge side counting more licenses than its own areas and statuses
 * added up to in the area table. They are now counted in one walk.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../config/loader.js';
import type { Config } from '../../config/types.js';
import { createLogger } from '../../core/logger.js';
import type { Ledger } from '../../ledger/ledger.js';
import { reconcilePipeline } from '../../pipelines/reconcile/reconcile.js';
import { runPipelines } from '../../pipelines/run-pipelines.js';
import { Runtime } from '../../pipelines/runtime.js';
import { createDemoWorkspace, type DemoWorkspace } from '../support/demo-workspace.js';
import { commitLicenses } from './committed-licenses.js';

const logger = createLogger({ level: 'silent' });
const PIPELINE = 'food-business-licenses';

const sum = (counts: Record<string, number>) => Object.values(counts).reduce((a, b) => a + b, 0);

describe('the ledger side of a full check, a run committing meanwhile', () => {
  let ws: DemoWorkspace;
  let config: Readonly<Config>;

  beforeAll(async () => {
    ws = await createDemoWorkspace({ rows: 30, seed: 83 });
    const yaml = await readFile(ws.configFile, 'utf8');
    await writeFile(ws.configFile, `${yaml}reconcile: { buckets: 64, afterRun: none }\n`);
    config = await loadConfig({ file: ws.configFile, env: {} });
    const [s] = await runPipelines(config, { pipelines: [PIPELINE], full: false, logger });
    expect(s?.state).toBe('done');
  }, 120_000);
  afterAll(async () => ws?.cleanup());

  it('adds up: its total, its statuses and its areas count the same licenses', async () => {
    const rt = new Runtime(config, logger);
    try {
      const real = await rt.ledger();
      let committed = false;
      // Once the areas are counted, a run commits two licenses of the pipeline.
      const during = new Proxy(real, {
        get(target, prop) {
          const value = Reflect.get(target, prop, target);
          if (typeof value !== 'function') return value;
          if (prop !== 'ledgerBuckets') return value.bind(target);
          return async (...args: unknown[]) => {
            if (!committed) {
              committed = true;
              await commitLicenses(real, PIPELINE, ['ZZMEANWHILE1', 'ZZMEANWHILE2']);
            }
            return (value as (...a: unknown[]) => unknown).apply(target, args);
          };
        },
      }) as Ledger;
      rt.ledger = async () => during;
      const report = await reconcilePipeline(rt, { pipeline: PIPELINE, store: false });

      expect(committed).toBe(true);
      const own = report.counts.ledger;
      expect(sum(own.byArea)).toBe(own.total);
      expect(sum(own.byStatus)).toBe(own.total);
    } finally {
      await rt.close();
    }
  }, 120_000);
});
