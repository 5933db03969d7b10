/**
 * Reconciling 1,000,000 licenses between a PostgreSQL source table and a PostgreSQL ledger with
 * 100 scattered differences (missed rows, hard deletes, edits behind the cursor), against one raw
 * full scan of both tables (node-postgres server-side cursors, no mapping) in the same run.
 * Targets: reconcile ≤ 3 × the raw scan, all 100 differences found, peak RSS ≤ 256 MB.
 * The ledger is filled by a full extract in a child process, so the peak RSS printed is the
 * reconcile's own (plus the raw scan's, which is small).
 * Usage: node dist-bench/bench/reconcile.js [rows]
 */
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { cp, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { generateSm2KeyPair } from '../adapters/signers/local-sm2/keys.js';
import { usccCheckChar } from '../catalog/holder-id.js';
import { loadConfig } from '../config/loader.js';
import { createLogger } from '../core/logger.js';
import { reconcilePipeline } from '../pipelines/reconcile/reconcile.js';
import { Runtime } from '../pipelines/runtime.js';
import { extractPipeline } from '../pipelines/stages/extract.js';

const FILL = process.argv[2] === '--fill';
const ROWS = Number(process.argv[FILL ? 4 : 2] ?? 1_000_000);
const SERVER = { host: '127.0.0.1', port: 5432, user: 'postgres', database: 'test' };
const TABLE = 'T_SPXK_XKZ';
const EXAMPLE = join(import.meta.dirname, '..', '..', 'examples', 'west-coast');
const PIPELINE = 'bench-food';
const peakRssMb = (): number => process.resourceUsage().maxRSS / 1024;
const seconds = (t: bigint): number => Number(process.hrtime.bigint() - t) / 1e9;

async function rawScan(client: pg.Client, sql: string): Promise<number> {
  let n = 0;
  await client.query('BEGIN READ ONLY');
  await client.query(`DECLARE c NO SCROLL CURSOR FOR ${sql}`);
  for (;;) {
    const r = await client.query('FETCH 5000 FROM c');
    if (r.rows.length === 0) break;
    n += r.rows.length;
  }
  await client.query('COMMIT');
  return n;
}

async function main(): Promise<void> {
  const database = `lb_bench_${randomUUID().replaceAll('-', '').slice(0, 12)}`;
  const admin = new pg.Client(SERVER);
  await admin.connect();
  await admin.query(`CREATE DATABASE ${database}`);
  const client = new pg.Client({ ...SERVER, database });
  await client.connect();
  const dir = await mkdtemp(join(tmpdir(), 'lb-bench-reconcile-'));
  const logger = createLogger({ level: 'warn' });
  let rt: Runtime | undefined;
  try {
    // 997 valid credit codes (GB 32100 check char computed here), reused round-robin by the rows.
    const codes = Array.from({ length: 997 }, (_, i) => {
      const first = `91370211MA${String(i).padStart(7, '0')}`;
      return `${first}${usccCheckChar(first)}`;
    });
    await client.query('CREATE TABLE codes (i int primary key, code char(18))');
    await client.query(
      `INSERT INTO codes SELECT i - 1, c FROM unnest($1::text[]) WITH ORDINALITY AS t(c, i)`,
      [codes],
    );
    await client.query(`CREATE TABLE "${TABLE}" ("ID" integer PRIMARY KEY, "XKZBH" char(20), "JYZMC" varchar(200),
      "TYSHXYDM" char(18), "FDDBR" varchar(50), "JYCS" varchar(300), "ZTYT" varchar(50), "JYXM" varchar(500),
      "FZRQ" char(8), "YXQZ" char(8), "ZT" char(1), "XZQH" char(6), "GXSJ" timestamp(6))`);
    // CHAR padding as legacy systems keep it; the connector trims it, so it is never a difference.
    await client.query(
      `INSERT INTO "${TABLE}" SELECT n, 'JY2370211' || lpad(n::text, 7, '0'), '青岛某某食品店' || n, c.code,
         '张三', '黄岛区长江中路' || n || '号', '食品销售经营者', '预包装食品销售；散装食品销售',
         '20200101', '20300101', CASE WHEN n % 50 = 0 THEN '0' ELSE '1' END, '370211',
         timestamp '2024-01-01' + ((n / 7) * interval '1 millisecond')
       FROM generate_series(1, $1) AS g(n) JOIN codes c ON c.i = n % 997`,
      [ROWS],
    );
    await client.query(`CREATE INDEX ON "${TABLE}" ("GXSJ", "ID")`);
    await client.query(`VACUUM ANALYZE "${TABLE}"`);

    await cp(join(EXAMPLE, 'catalog'), join(dir, 'catalog'), { recursive: true });
    await writeFile(
      join(dir, 'mapping.yaml'),
      `fields:
  number: { from: XKZBH, transform: [trim, upper], required: true }
  holder.name: { from: JYZMC, transform: [trim], required: true }
  holder.idType: { const: "001" }
  holder.id: { from: TYSHXYDM, transform: [trim, upper], required: true }
  issueDate: { from: FZRQ, transform: [trim, { date: [yyyyMMdd] }], required: true }
  validFrom: { from: FZRQ, transform: [trim, { date: [yyyyMMdd] }], required: true }
  validTo: { from: YXQZ, transform: [trim, { date: [yyyyMMdd] }] }
  status: { from: ZT, transform: [trim], lookup: { "1": valid, "0": revoked }, required: true }
  areaCode: { from: XZQH, transform: [trim] }
  surface.legalRepresentative: { from: FDDBR, transform: [trim], required: true }
  surface.premises: { from: JYCS, transform: [trim], required: true }
  surface.businessForm: { from: ZTYT, transform: [trim], required: true }
  surface.businessItems: { from: JYXM, transform: [{ split: "；" }], required: true }
`,
    );
    await writeFile(join(dir, 'seal.key.pem'), generateSm2KeyPair().privateKeyPem, { mode: 0o600 });
    await writeFile(
      join(dir, 'licbridge.yaml'),
      `ledger: { url: "postgres://postgres@127.0.0.1:5432/${database}?schema=ledger" }
catalog: ./catalog
log: { level: warn }
sources:
  legacy: { kind: postgres, connection: { host: 127.0.0.1, port: 5432, user: postgres, database: ${database} }, trim: all, pageSize: 5000 }
pipelines:
  ${PIPELINE}:
    source: legacy
    stream: { table: ${TABLE}, key: ID, cursor: GXSJ }
    mapping: ./mapping.yaml
    licenseType: 11370200MB12345674001
    issuer: { name: 青岛西海岸新区市场监督管理局, code: 11370211MB12345672 }
    pageSize: 5000
    signer: seal
    targets: [province]
signers:
  seal: { kind: local-sm2, key: "\${file:./seal.key.pem}", sealId: "3702110000001" }
targets:
  province: { kind: rest-json, url: "http://127.0.0.1:9", auth: { scheme: none } }
`,
    );
    // Fill the ledger the ordinary way (one full extract: mapping, versions, fingerprints, audit
    // chain) in a child process, so its memory is not counted in the reconcile's peak RSS.
    let t = process.hrtime.bigint();
    const filled = execFileSync(
      process.execPath,
      [process.argv[1] as string, '--fill', join(dir, 'licbridge.yaml'), String(ROWS)],
      {
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    const fillSec = seconds(t);
    const totals = JSON.parse(filled.trim().split('\n').pop() ?? '{}') as { read: number; created: number };
    if (totals.created !== ROWS) throw new Error(`ledger holds ${totals.created} licenses, expected ${ROWS}`);
    const config = await loadConfig({ file: join(dir, 'licbridge.yaml'), env: {} });
    rt = new Runtime(config, logger);

    // 100 scattered differences, none visible to cursor sync: 40 edits behind the cursor,
    // 30 hard deletes, 30 rows committed behind the checkpoint.
    const step = Math.floor(ROWS / 101);
    const ids = Array.from({ length: 100 }, (_, i) => (i + 1) * step);
    await client.query(`UPDATE "${TABLE}" SET "JYCS" = "JYCS" || '之一' WHERE "ID" = ANY($1)`, [
      ids.slice(0, 40),
    ]);
    await client.query(`DELETE FROM "${TABLE}" WHERE "ID" = ANY($1)`, [ids.slice(40, 70)]);
    await client.query(
      `INSERT INTO "${TABLE}" SELECT "ID" + $2, "XKZBH", "JYZMC", "TYSHXYDM", "FDDBR", "JYCS", "ZTYT", "JYXM", "FZRQ",
         "YXQZ", "ZT", "XZQH", timestamp '2000-01-01' FROM "${TABLE}" WHERE "ID" = ANY($1)`,
      [ids.slice(70, 100).map((i) => i + 1), ROWS + 10],
    );

    // Baseline: one raw full scan of both tables, in the order reconcile needs nothing of.
    t = process.hrtime.bigint();
    const sourceRows = await rawScan(client, `SELECT * FROM "${TABLE}"`);
    const ledgerRows = await rawScan(client, 'SELECT * FROM ledger.licenses');
    const rawSec = seconds(t);
    const rssBefore = peakRssMb();

    t = process.hrtime.bigint();
    const report = await reconcilePipeline(rt, { pipeline: PIPELINE, targets: [] });
    const reconcileSec = seconds(t);

    console.table([
      {
        step: `fill ledger (full extract, ${ROWS} rows, child process)`,
        seconds: fillSec.toFixed(2),
        rows: totals.read,
      },
      {
        step: 'raw scan: source + ledger.licenses',
        seconds: rawSec.toFixed(2),
        rows: sourceRows + ledgerRows,
      },
      {
        step: 'reconcile source ⇄ ledger',
        seconds: reconcileSec.toFixed(2),
        rows: report.counts.source.total + report.counts.ledger.total,
      },
    ]);
    const found =
      report.byKind.missed + report.byKind['deleted-at-source'] + report.byKind['content-mismatch'];
    console.log(
      `reconcile / raw scan = ${(reconcileSec / rawSec).toFixed(2)} (target ≤ 3.00); differences found ${found} of 100 ` +
        `(missed ${report.byKind.missed}, deleted ${report.byKind['deleted-at-source']}, content ${report.byKind['content-mismatch']}); ` +
        `buckets differing ${report.buckets.differing} of ${report.buckets.total}; peak RSS ${peakRssMb().toFixed(0)} MB (before reconcile ${rssBefore.toFixed(0)} MB; target ≤ 256 MB)`,
    );
  } finally {
    await rt?.close();
    await client.end();
    await admin.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
    await admin.end();
    await rm(dir, { recursive: true, force: true });
  }
}

/** The child: one full extract of the pipeline into the ledger; prints its totals as JSON. */
async function fill(configFile: string): Promise<void> {
  const logger = createLogger({ level: 'warn' });
  const config = await loadConfig({ file: configFile, env: {} });
  const rt = new Runtime(config, logger);
  try {
    const ledger = await rt.ledger();
    const parts = await rt.pipeline(PIPELINE);
    const runId = randomUUID();
    await ledger.startRun({ runId, pipeline: PIPELINE, mode: 'full' });
    const totals = await extractPipeline(parts, ledger, {
      runId,
      full: true,
      onPage: async () => {},
      logger,
    });
    await ledger.finishRun(runId, { state: 'done' });
    console.log(JSON.stringify(totals));
  } finally {
    await rt.close();
  }
}

(FILL ? fill(process.argv[3] as string) : main()).catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});
