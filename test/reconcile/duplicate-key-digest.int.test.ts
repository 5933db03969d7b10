/**
 * A key the source comes to hold on two current rows with different content (a reload that wrote
 * a row twice, once edited), its old row among them and its cursor unmoved: a run quarantines the
 * key (LB_SOURCE_KEY_DUPLICATE) and the full check reports its license `unmappable`. Where the
 * connector computes the bucket digests itself (SQLite, SQL Server, Oracle), they took one
 * fingerprint per key, the last row's: with the old row last, the bucket agreed with the ledger and
 * the check reported agreement — on PostgreSQL and MySQL, which count every row, it did not. Every
 * row a key is held on is counted, as the database counts it.
 */
import { readFile, writeFile } from 'node:fs/promises';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../config/loader.js';
import type { Config } from '../../config/types.js';
import { LEGACY_COLUMNS, LEGACY_TABLE } from '../../examples/west-coast/generate-legacy-db.js';
import { reconcilePipeline } from '../../pipelines/reconcile/reconcile.js';
import { runPipelines } from '../../pipelines/run-pipelines.js';
import { Runtime } from '../../pipelines/runtime.js';
import { quietLogger } from '../ops/ops-fixtures.js';
import { createDemoWorkspace, type DemoWorkspace } from '../support/demo-workspace.js';

const PIPELINE = 'food-business-licenses';

describe('a key held on two current rows that differ, the old one last (SQLite)', () => {
  let ws: DemoWorkspace;
  let config: Readonly<Config>;
  const exec = (sql: string, ...params: unknown[]) => {
    const db = new Database(ws.legacyDb);
    try {
      db.prepare(sql).run(...params);
    } finally {
      db.close();
    }
  };

  beforeAll(async () => {
    ws = await createDemoWorkspace({ rows: 10, seed: 71 });
    // The legacy rows without a key constraint, an index on the key.
    exec(`CREATE TABLE T_DUP AS SELECT * FROM ${LEGACY_TABLE}`);
    exec('CREATE INDEX IX_DUP_ID ON T_DUP (ID)');
    const yaml = (await readFile(ws.configFile, 'utf8')).replace(
      /stream: \{ table: \w+, key: ID, cursor: GXSJ \}/,
      'stream: { table: T_DUP, key: ID, cursor: GXSJ }',
    );
    expect(yaml).toContain('table: T_DUP,');
    await writeFile(ws.configFile, `${yaml}reconcile: { buckets: 64 }\n`);
    config = await loadConfig({ file: ws.configFile, env: {} });
    const [s] = await runPipelines(config, { pipelines: [PIPELINE], full: true, logger: quietLogger() });
    expect(s?.state).toBe('done');
  }, 120_000);
  afterAll(async () => {
    await ws?.cleanup();
  });

  it('is reported unmappable, not taken for agreement', async () => {
    const rt = new Runtime(config, quietLogger());
    try {
      const [license] = await (await rt.ledger()).pipelineLicenses(PIPELINE);
      if (!license) throw new Error('a license expected');
      const key = license.sourceKey;
      // Reloaded: an edited copy written first, then the row as it was, the cursor unmoved.
      const cols = LEGACY_COLUMNS.join(', ');
      const edited = LEGACY_COLUMNS.map((c) => (c === 'JYZMC' ? "'西海岸新区另一食品店'" : c)).join(', ');
      exec('CREATE TABLE T_KEEP AS SELECT * FROM T_DUP WHERE ID = ?', key);
      exec('DELETE FROM T_DUP WHERE ID = ?', key);
      exec(`INSERT INTO T_DUP (${cols}) SELECT ${edited} FROM T_KEEP`);
      exec(`INSERT INTO T_DUP (${cols}) SELECT ${cols} FROM T_KEEP`);

      const report = await reconcilePipeline(rt, { pipeline: PIPELINE, store: false });
      expect(report.all.map((d) => [d.kind, d.sourceKey])).toEqual([['unmappable', key]]);

      // Counted as the database counts it: each row once, the key's two included (the drill-down's
      // progress total is the digests' count; one more row than the table held was never read).
      const db = new Database(ws.legacyDb, { readonly: true });
      const { n } = db.prepare('SELECT COUNT(*) AS n FROM T_DUP').get() as { n: number };
      db.close();
      const parts = await rt.pipeline(PIPELINE);
      const digests = (await parts.source.bucketDigests?.(parts.config.stream, { buckets: 64 })) ?? [];
      expect(digests.reduce((sum, d) => sum + d.count, 0)).toBe(n);
    } finally {
      await rt.close();
    }
  }, 120_000);
});
