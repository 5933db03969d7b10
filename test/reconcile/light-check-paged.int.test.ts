/**
 * The light check after each run read every license of the pipeline in one call
 * (`pipelineLicenses`) and held them all, their ids, hashes and versions, while it read the
 * source's keys: at 1,000,000 licenses some 300 MB of license objects after every run, for a check
 * that compares key sets. The ledger is now walked a page of `reconcile.pageSize` licenses at a
 * time: its key set first (before the source, as ever), then its licenses again for the counts
 * and the licenses whose row is gone. The findings are those of before. So is the full check of a
 * source without bucket digests (XML exports), which read them all at once too.
 */

import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../config/loader.js';
import type { Config } from '../../config/types.js';
import { createLogger } from '../../core/logger.js';
import { keyBucket } from '../../core/reconcile-digest.js';
import { reconcilePipeline } from '../../pipelines/reconcile/reconcile.js';
import { runPipelines } from '../../pipelines/run-pipelines.js';
import { Runtime } from '../../pipelines/runtime.js';
import { createDemoWorkspace, type DemoWorkspace } from '../support/demo-workspace.js';
import { type AnswerSize, watchedLedger } from './watched-ledger.js';

const logger = createLogger({ level: 'silent' });
const PIPELINE = 'food-business-licenses';
const PAGE = 10;

describe('the light check, a page of licenses at a time', () => {
  let ws: DemoWorkspace;
  let config: Readonly<Config>;
  let gone: string;

  beforeAll(async () => {
    ws = await createDemoWorkspace({ rows: 40, seed: 31 });
    const yaml = await readFile(ws.configFile, 'utf8');
    await writeFile(ws.configFile, `${yaml}reconcile: { pageSize: ${PAGE}, afterRun: none }\n`);
    config = await loadConfig({ file: ws.configFile, env: {} });
    const [s] = await runPipelines(config, { pipelines: [PIPELINE], full: false, logger });
    expect(s?.state).toBe('done');
    const ledgerDb = new Database(join(ws.dir, 'data', 'ledger.db'), { readonly: true });
    gone = ledgerDb
      .prepare(
        `select source_key from licenses where pipeline = ? and status = 'valid' order by license_id limit 1`,
      )
      .pluck()
      .get(PIPELINE) as string;
    ledgerDb.close();
    const legacy = new Database(ws.legacyDb);
    legacy.prepare('delete from T_SPXK_XKZ where ID = ?').run(gone);
    legacy.close();
  }, 60_000);
  afterAll(async () => ws?.cleanup());

  it('finds the row gone, counts every license, and takes no more than a page at once', async () => {
    const rt = new Runtime(config, logger);
    const sizes: AnswerSize[] = [];
    try {
      const real = await rt.ledger();
      const seen = watchedLedger(real, sizes);
      rt.ledger = async () => seen;
      const report = await reconcilePipeline(rt, { pipeline: PIPELINE, mode: 'light', store: false });

      const ledgerDb = new Database(join(ws.dir, 'data', 'ledger.db'), { readonly: true });
      const byStatus = Object.fromEntries(
        (
          ledgerDb
            .prepare('select status, count(*) as n from licenses where pipeline = ? group by status')
            .all(PIPELINE) as { status: string; n: number }[]
        ).map((r) => [r.status, r.n]),
      );
      ledgerDb.close();
      const total = Object.values(byStatus).reduce((a, b) => a + b, 0);
      expect(total).toBeGreaterThan(2 * PAGE);
      expect(report.counts.ledger).toEqual({ total, byStatus, byArea: {} });
      expect(report.byKind['deleted-at-source']).toBe(1);
      expect(report.byKind.missed).toBe(0);
      expect(report.all.find((d) => d.kind === 'deleted-at-source')?.sourceKey).toBe(gone);
      expect(report.differences).toBe(1);

      expect(sizes.length).toBeGreaterThan(0);
      for (const s of sizes) expect(s.n, s.method).toBeLessThanOrEqual(PAGE);
    } finally {
      await rt.close();
    }
  });

  it('so does the full check of a source without bucket digests, which maps every row', async () => {
    const rt = new Runtime(config, logger);
    const sizes: AnswerSize[] = [];
    try {
      const real = await rt.ledger();
      const seen = watchedLedger(real, sizes);
      rt.ledger = async () => seen;
      const parts = await rt.pipeline(PIPELINE);
      // As for XML exports: every row is mapped and compared.
      const source = parts.source as unknown as Record<string, unknown>;
      source.bucketDigests = undefined;
      source.readBuckets = undefined;
      const report = await reconcilePipeline(rt, { pipeline: PIPELINE, targets: [], store: false });

      expect(report.byKind['deleted-at-source']).toBe(1);
      expect(report.all.find((d) => d.kind === 'deleted-at-source')?.sourceKey).toBe(gone);
      expect(report.differences).toBe(1);
      expect(report.counts.source.total).toBe(report.counts.ledger.total - 1);

      expect(sizes.length).toBeGreaterThan(0);
      for (const s of sizes) expect(s.n, s.method).toBeLessThanOrEqual(PAGE);
    } finally {
      await rt.close();
    }
  });

  it('reads again only the licenses of the key set: one a run commits meanwhile is not deleted', async () => {
    // The licenses of the differing buckets are read again after the source, as they stand then;
    // one committed since, on a row added after the source was read, is not of the key set read
    // before it. In the bucket of the row gone, which differs, it would read as deleted there.
    const legacy = new Database(ws.legacyDb);
    const ids = (legacy.prepare('select ID from T_SPXK_XKZ order by ID').pluck().all() as number[]).map(
      Number,
    );
    const buckets = config.reconcile.buckets;
    const bucket = keyBucket(gone, buckets);
    let added = (ids[ids.length - 1] as number) + 1;
    while (keyBucket(String(added), buckets) !== bucket) added += 1;
    legacy.close();
    const rt = new Runtime(config, logger);
    try {
      const parts = await rt.pipeline(PIPELINE);
      const source = parts.source as unknown as Record<string, unknown>;
      source.bucketDigests = undefined;
      source.readBuckets = undefined;
      const read = (parts.source.read as (...a: unknown[]) => AsyncIterable<unknown>).bind(parts.source);
      source.read = async function* (...args: unknown[]) {
        yield* read(...args);
        const db = new Database(ws.legacyDb);
        db.prepare('create temp table r as select * from T_SPXK_XKZ where ID = ?').run(ids[0]);
        db.prepare(`update r set ID = ?, GXSJ = '2099-01-01 00:00:00'`).run(added);
        db.exec('insert into T_SPXK_XKZ select * from r');
        db.close();
        const [s] = await runPipelines(config, { pipelines: [PIPELINE], full: false, logger });
        expect(s?.state).toBe('done');
      };
      const report = await reconcilePipeline(rt, { pipeline: PIPELINE, targets: [], store: false });

      const ledger = await rt.ledger();
      expect((await ledger.pipelineLicenses(PIPELINE)).some((l) => l.sourceKey === String(added))).toBe(true);
      expect(report.all.filter((d) => d.kind === 'deleted-at-source').map((d) => d.sourceKey)).toEqual([
        gone,
      ]);
    } finally {
      await rt.close();
    }
  });
});
