/**
 * A renewal read in the same page as the license it continues, whose key holds a NUL (U+0000), on
 * a PostgreSQL ledger. That license is quarantined (`LB_SOURCE_KEY_NUL`, ledger/nul-text.ts), so
 * it is never stored; the renewal was linked to it all the same (predecessors are resolved in the
 * page before the commit set the row apart) and stored continuing a license the ledger never held.
 * Now the row is set apart before the page's predecessors are resolved: the renewal is judged as
 * when that license sits in an earlier page, quarantined, and is quarantined too.
 */
import { randomUUID } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import Database from 'better-sqlite3';
import pg from 'pg';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { loadConfig } from '../../config/loader.js';
import { Runtime } from '../../pipelines/runtime.js';
import { extractPipeline } from '../../pipelines/stages/extract.js';
import { postgresBackend, type TestDatabase } from '../ledger/backends.js';
import { quietLogger } from '../ops/ops-fixtures.js';
import { createDemoWorkspace, type DemoWorkspace } from '../support/demo-workspace.js';

const PIPELINE = 'food-business-licenses';
let ws: DemoWorkspace;
let database: TestDatabase;
let nulId: number;

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
  legacy.prepare("UPDATE T_SPXK_XKZ SET BIZ_KEY = 'B' || ID || char(0) WHERE ID = ?").run(nulId);
  // Its renewal, keeping its number, read after it in the same page.
  legacy.exec(`CREATE TEMP TABLE renewal AS SELECT * FROM T_SPXK_XKZ WHERE ID = ${nulId}`);
  legacy.exec(
    "UPDATE renewal SET ID = 9001, BIZ_KEY = 'R9001', YZSBH = XKZBH, GXSJ = (SELECT max(GXSJ) FROM T_SPXK_XKZ)",
  );
  legacy.exec('INSERT INTO T_SPXK_XKZ SELECT * FROM renewal');
  legacy.close();
}, 60_000);

afterAll(async () => {
  await ws?.cleanup();
  await database?.dispose();
});

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

it('quarantines the renewal of a license set apart for a NUL in its key, not linking it', {
  timeout: 120_000,
}, async () => {
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
    expect(totals.pages).toBe(1);
  } finally {
    await runtime.close();
  }
  const records = await query<{ source_key: string; reasons: string }>(
    'select source_key, reasons from quarantine where pipeline = $1 and source_key in ($2, $3)',
    [PIPELINE, `B${nulId}\\u0000`, 'R9001'],
  );
  const codes = Object.fromEntries(
    records.map((r) => [r.source_key, (JSON.parse(r.reasons) as { code: string }[]).map((x) => x.code)]),
  );
  expect(codes).toEqual({ [`B${nulId}\\u0000`]: ['LB_SOURCE_KEY_NUL'], R9001: ['LB_PREDECESSOR_UNKNOWN'] });
  const renewal = await query('select license_id from licenses where pipeline = $1 and source_key = $2', [
    PIPELINE,
    'R9001',
  ]);
  expect(renewal).toEqual([]);
});
