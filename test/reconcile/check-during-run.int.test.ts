/**
 * A check that runs while a pipeline runs (a scheduled run next to the nightly check, a worker's
 * run next to `licbridge reconcile`): a row added to the source after the check read the source,
 * whose license the run committed before the check read the ledger, was reported as
 * `deleted-at-source` — and under `reconcile.deletedAtSource: revoke` a repair revoked a license
 * whose row is there. The ledger side is read before the source side, so such a license is at most
 * seen as `missed` (its repair, a re-read, changes nothing) and never as deleted.
 */
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../config/loader.js';
import type { Config } from '../../config/types.js';
import type { SourceConnector } from '../../connectors/source.js';
import { createLogger } from '../../core/logger.js';
import { keyBucket } from '../../core/reconcile-digest.js';
import { reconcilePipeline } from '../../pipelines/reconcile/reconcile.js';
import { runPipelines } from '../../pipelines/run-pipelines.js';
import { Runtime } from '../../pipelines/runtime.js';
import { createDemoWorkspace, type DemoWorkspace } from '../support/demo-workspace.js';

const logger = createLogger({ level: 'silent' });
const PIPELINE = 'food-business-licenses';
const TABLE = 'T_SPXK_XKZ';
const BUCKETS = 4096;

describe('a check while a run adds a license', () => {
  let ws: DemoWorkspace;
  let config: Readonly<Config>;
  /** The row the second test deletes at the source. */
  let gone: number | undefined;

  const run = async () => {
    const [s] = await runPipelines(config, { pipelines: [PIPELINE], full: false, logger });
    expect(s?.state).toBe('done');
  };
  /** A copy of the row `from` under key `id`, updated now (the run reads it next). */
  const addRow = (from: number, id: number) => {
    const db = new Database(ws.legacyDb);
    try {
      db.prepare(`CREATE TEMP TABLE r AS SELECT * FROM ${TABLE} WHERE ID = ?`).run(from);
      db.prepare(`UPDATE r SET ID = ?, GXSJ = '2099-01-01 00:00:00'`).run(id);
      db.exec(`INSERT INTO ${TABLE} SELECT * FROM r`);
    } finally {
      db.close();
    }
  };
  /** `source` whose `method` (an async generator) runs `step` once, when it has handed over everything. */
  const afterReading = (
    source: SourceConnector,
    method: 'keys' | 'readBuckets' | 'read',
    step: () => Promise<void>,
  ) => {
    const inner = (source[method] as (...a: unknown[]) => AsyncIterable<unknown>).bind(source);
    let once: (() => Promise<void>) | undefined = step;
    (source as unknown as Record<string, unknown>)[method] = async function* (...args: unknown[]) {
      yield* inner(...args);
      const s = once;
      once = undefined;
      await s?.();
    };
  };
  const rowIds = () => {
    const db = new Database(ws.legacyDb, { readonly: true });
    try {
      return (db.prepare(`SELECT ID FROM ${TABLE} ORDER BY ID`).all() as { ID: number }[]).map((r) => r.ID);
    } finally {
      db.close();
    }
  };

  beforeAll(async () => {
    ws = await createDemoWorkspace({ rows: 30, seed: 43 });
    config = await loadConfig({ file: ws.configFile, env: {} });
    await run();
  }, 120_000);
  afterAll(async () => {
    await ws?.cleanup();
  });

  it('the light check does not report it deleted at the source', async () => {
    const ids = rowIds();
    const added = (ids[ids.length - 1] as number) + 1;
    const rt = new Runtime(config, logger);
    try {
      const parts = await rt.pipeline(PIPELINE);
      afterReading(parts.source, 'keys', async () => {
        addRow(ids[0] as number, added);
        await run();
      });
      const report = await reconcilePipeline(rt, { pipeline: PIPELINE, mode: 'light' });
      const ledger = await rt.ledger();
      // The run did commit it while the check ran.
      expect((await ledger.pipelineLicenses(PIPELINE)).some((l) => l.sourceKey === String(added))).toBe(true);
      expect(report.all.filter((d) => d.kind === 'deleted-at-source')).toEqual([]);
    } finally {
      await rt.close();
    }
  }, 120_000);

  it('the full check does not report it deleted at the source', async () => {
    const ids = rowIds();
    // A row deleted at the source makes its bucket differ; the row added lands in that bucket.
    gone = ids[1] as number;
    const bucket = keyBucket(String(gone), BUCKETS);
    let added = (ids[ids.length - 1] as number) + 1;
    while (keyBucket(String(added), BUCKETS) !== bucket) added += 1;
    const db = new Database(ws.legacyDb);
    db.prepare(`DELETE FROM ${TABLE} WHERE ID = ?`).run(gone);
    db.close();

    const rt = new Runtime(config, logger);
    try {
      const parts = await rt.pipeline(PIPELINE);
      let drilled = 0;
      afterReading(parts.source, 'readBuckets', async () => {
        drilled += 1;
        addRow(ids[0] as number, added);
        await run();
      });
      const report = await reconcilePipeline(rt, { pipeline: PIPELINE });
      expect(drilled).toBe(1);
      const ledger = await rt.ledger();
      expect((await ledger.pipelineLicenses(PIPELINE)).some((l) => l.sourceKey === String(added))).toBe(true);
      // Only the row deleted is deleted.
      expect(report.all.filter((d) => d.kind === 'deleted-at-source').map((d) => d.sourceKey)).toEqual([
        String(gone),
      ]);
    } finally {
      await rt.close();
    }
  }, 120_000);

  it('nor does the full check of a source without bucket digests', async () => {
    const ids = rowIds();
    const added = (ids[ids.length - 1] as number) + 1;
    const rt = new Runtime(config, logger);
    try {
      const parts = await rt.pipeline(PIPELINE);
      // As for XML exports: every row is mapped and compared.
      const source = parts.source as unknown as Record<string, unknown>;
      source.bucketDigests = undefined;
      source.readBuckets = undefined;
      afterReading(parts.source, 'read', async () => {
        addRow(ids[0] as number, added);
        await run();
      });
      const report = await reconcilePipeline(rt, { pipeline: PIPELINE });
      const ledger = await rt.ledger();
      expect((await ledger.pipelineLicenses(PIPELINE)).some((l) => l.sourceKey === String(added))).toBe(true);
      expect(report.all.filter((d) => d.kind === 'deleted-at-source').map((d) => d.sourceKey)).toEqual([
        String(gone),
      ]);
    } finally {
      await rt.close();
    }
  }, 120_000);
});
