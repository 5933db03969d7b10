/**
 * A source key holding a NUL character (U+0000), read from SQLite (as MySQL, SQL Server and SQLite
 * can store one) into a PostgreSQL ledger, whose text cannot hold it. Before, the whole page failed
 * with "invalid byte sequence for encoding UTF8: 0x00", on every run, at that page: the pipeline
 * was stuck for good. Now the row is quarantined with a reason naming the key column and showing
 * the NUL as \u0000, the other rows of the page become licenses, the checkpoint moves past it,
 * the next run goes on, and the light and full checks count the row quarantined, not missed.
 */
import { randomUUID } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import Database from 'better-sqlite3';
import pg from 'pg';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { loadConfig } from '../../config/loader.js';
import { reconcilePipeline } from '../../pipelines/reconcile/reconcile.js';
import { Runtime } from '../../pipelines/runtime.js';
import { extractPipeline } from '../../pipelines/stages/extract.js';
import { postgresBackend, type TestDatabase } from '../ledger/backends.js';
import { quietLogger } from '../ops/ops-fixtures.js';
import { createDemoWorkspace, type DemoWorkspace } from '../support/demo-workspace.js';

const PIPELINE = 'food-business-licenses';
let ws: DemoWorkspace;
let database: TestDatabase;
let nulId: number;
let total: number;

beforeAll(async () => {
  ws = await createDemoWorkspace({ rows: 8 });
  database = await postgresBackend.create();
  const yaml = (await readFile(ws.configFile, 'utf8'))
    .replace('sqlite://./data/ledger.db', database.url)
    .replace('key: ID, cursor: GXSJ', 'key: BIZ_KEY, cursor: GXSJ');
  expect(yaml).toContain('key: BIZ_KEY');
  await writeFile(ws.configFile, yaml);
  const legacy = new Database(ws.legacyDb);
  legacy.exec('ALTER TABLE T_SPXK_XKZ ADD COLUMN BIZ_KEY TEXT');
  legacy.exec("UPDATE T_SPXK_XKZ SET BIZ_KEY = 'B' || ID");
  nulId = legacy
    .prepare("SELECT ID FROM T_SPXK_XKZ WHERE ZT = '1' ORDER BY ID LIMIT 1")
    .pluck()
    .get() as number;
  // The key as a legacy system left it: a NUL inside the text.
  legacy.prepare("UPDATE T_SPXK_XKZ SET BIZ_KEY = 'B' || ID || char(0) || 'X' WHERE ID = ?").run(nulId);
  total = legacy.prepare('SELECT count(*) FROM T_SPXK_XKZ').pluck().get() as number;
  legacy.close();
}, 60_000);

afterAll(async () => {
  await ws?.cleanup();
  await database?.dispose();
});

async function extract() {
  const config = await loadConfig({ file: ws.configFile, env: {} });
  const runtime = new Runtime(config, quietLogger());
  try {
    const parts = await runtime.pipeline(PIPELINE);
    const ledger = await runtime.ledger();
    const runId = randomUUID();
    await ledger.startRun({ runId, pipeline: parts.name, mode: 'incremental' });
    const totals = await extractPipeline(parts, ledger, {
      runId,
      full: false,
      onPage: async () => undefined,
      logger: runtime.logger,
    });
    return { ...totals, runId };
  } finally {
    await runtime.close();
  }
}

async function query<T>(sql: string, values: unknown[]): Promise<T[]> {
  const url = new URL(database.url);
  const schema = url.searchParams.get('schema') as string;
  url.searchParams.delete('schema');
  const client = new pg.Client({ connectionString: url.toString() });
  await client.connect();
  try {
    await client.query(`set search_path to "${schema}"`);
    return (await client.query(sql, values)).rows as T[];
  } finally {
    await client.end();
  }
}

it('quarantines a row whose key holds a NUL, naming the key column, and the run goes on', {
  timeout: 120_000,
}, async () => {
  const first = await extract();
  // The demo department's own faulty rows are quarantined too.
  expect(first.read).toBe(total);
  expect(first.created + first.unchanged + first.quarantined).toBe(total);
  const records = await query<{ source_key: string; reasons: string }>(
    'select source_key, reasons from quarantine where pipeline = $1',
    [PIPELINE],
  );
  expect(records).toHaveLength(first.quarantined);
  const q = records.find((r) => r.source_key === `B${nulId}\\u0000X`);
  expect(q).toBeDefined();
  const reasons = JSON.parse(q?.reasons ?? '[]') as { code: string; column?: string; message: string }[];
  expect(reasons).toEqual([
    {
      code: 'LB_SOURCE_KEY_NUL',
      column: 'BIZ_KEY',
      message: `ledger: key column \`BIZ_KEY\` holds a NUL character (U+0000) in this row (key B${nulId}\\u0000X), which a PostgreSQL ledger cannot store; the row is kept apart under that key, NUL shown as \\u0000, until the business system removes the NUL`,
    },
  ]);
  const licensed = await query<{ source_key: string }>(
    'select source_key from licenses where pipeline = $1',
    [PIPELINE],
  );
  expect(licensed).toHaveLength(first.created);
  expect(licensed.map((l) => l.source_key)).not.toContain(`B${nulId}`);
  expect(licensed.every((l) => /^B\d+$/.test(l.source_key))).toBe(true);

  // The next run finds nothing new: the checkpoint moved past the row.
  const second = await extract();
  expect(second).toMatchObject({ read: 0, quarantined: 0, created: 0 });

  // The light check finds the row quarantined, not missed.
  const config = await loadConfig({ file: ws.configFile, env: {} });
  const rt = new Runtime(config, quietLogger());
  try {
    const light = await reconcilePipeline(rt, { pipeline: PIPELINE, mode: 'light', store: false });
    expect(light.byKind.missed).toBe(0);
    expect(light.counts.source.quarantined).toBe(first.quarantined);
    // And so does the full check, which maps every row.
    const full = await reconcilePipeline(rt, { pipeline: PIPELINE, mode: 'full', store: false });
    expect(full.differences).toBe(0);
    expect(full.counts.source.quarantined).toBe(first.quarantined);
  } finally {
    await rt.close();
  }
});
