/**
 * Reading 1,000,000 rows of a legacy-shaped table from PostgreSQL (127.0.0.1:5432) through the SQL
 * connector — keyset pages on (GXSJ, ID), normalisation, repair hooks — against a raw node-postgres
 * server-side cursor (DECLARE … FETCH) over the same ORDER BY, in the same run. The source is opened
 * with the mappings' zone, as a pipeline opens it (each read sets it as its TimeZone).
 * Usage: node dist-bench/bench/connector-read.js [rows] [pageSize] [timeZone]
 */
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { openSource } from '../connectors/open-source.js';

const ROWS = Number(process.argv[2] ?? 1_000_000);
const PAGE = Number(process.argv[3] ?? 5_000);
/** `lifecycle.timeZone`, its default unless given. */
const TIME_ZONE = process.argv[4] ?? 'Asia/Shanghai';
const SERVER = { host: '127.0.0.1', port: 5432, user: 'postgres', database: 'test' };
const TABLE = 'T_SPXK_XKZ';

const peakRssMb = (): number => process.resourceUsage().maxRSS / 1024;
/** This process's CPU time (user and system) since `from`, in seconds. */
const cpuSeconds = (from: NodeJS.CpuUsage): number => {
  const used = process.cpuUsage(from);
  return (used.user + used.system) / 1e6;
};

async function main(): Promise<void> {
  const database = `lb_bench_${randomUUID().replaceAll('-', '').slice(0, 12)}`;
  const admin = new pg.Client(SERVER);
  await admin.connect();
  await admin.query(`CREATE DATABASE ${database}`);
  const client = new pg.Client({ ...SERVER, database });
  await client.connect();
  try {
    // Generated server-side: 1M rows in seconds, with GXSJ collisions (batch updates) like the demo.
    await client.query(`CREATE TABLE "${TABLE}" ("ID" integer PRIMARY KEY, "XKZBH" char(20),
      "JYZMC" varchar(200), "TYSHXYDM" char(18), "JYCS" varchar(300), "FZRQ" char(8), "YXQZ" char(8),
      "ZT" char(1), "GXSJ" timestamp(6))`);
    await client.query(
      `INSERT INTO "${TABLE}" SELECT i, 'JY2370211' || lpad(i::text, 7, '0'), '青岛某某食品店' || i,
         '91370211MA' || lpad(i::text, 8, '0'), '黄岛区长江中路' || i || '号', '20200101', '20250101',
         '1', timestamp '2024-01-01' + ((i / 7) * interval '1 millisecond')
       FROM generate_series(1, $1) AS i`,
      [ROWS],
    );
    await client.query(`CREATE INDEX ON "${TABLE}" ("GXSJ", "ID")`);
    await client.query(`VACUUM ANALYZE "${TABLE}"`);

    // The connector first, so the peak RSS it reaches is its own.
    const connector = await openSource(
      'bench',
      { kind: 'postgres', connection: { ...SERVER, database }, trim: 'all', pageSize: PAGE },
      { timeZone: TIME_ZONE },
    );
    let t = process.hrtime.bigint();
    let cpu = process.cpuUsage();
    let n = 0;
    for await (const page of connector.read({
      stream: { table: TABLE, key: 'ID', cursor: 'GXSJ' },
      after: null,
      pageSize: PAGE,
    })) {
      n += page.rows.length;
    }
    const connectorSec = Number(process.hrtime.bigint() - t) / 1e9;
    const connectorCpu = cpuSeconds(cpu);
    const connectorRss = peakRssMb();
    await connector.close();
    if (n !== ROWS) throw new Error(`connector read ${n} rows, expected ${ROWS}`);

    // Baseline: the same rows, same order, one server-side cursor, no paging queries, no normalising.
    t = process.hrtime.bigint();
    cpu = process.cpuUsage();
    let m = 0;
    await client.query('BEGIN READ ONLY');
    await client.query(`DECLARE c NO SCROLL CURSOR FOR SELECT * FROM "${TABLE}" ORDER BY "GXSJ", "ID"`);
    for (;;) {
      const r = await client.query(`FETCH ${PAGE} FROM c`);
      if (r.rows.length === 0) break;
      m += r.rows.length;
    }
    await client.query('COMMIT');
    const rawSec = Number(process.hrtime.bigint() - t) / 1e9;
    const rawCpu = cpuSeconds(cpu);
    if (m !== ROWS) throw new Error(`raw cursor read ${m} rows, expected ${ROWS}`);

    const rate = (rows: number, s: number) => Math.round(rows / s);
    const table = [
      {
        reader: 'licbridge connector (keyset pages)',
        rows: n,
        seconds: connectorSec.toFixed(2),
        'CPU s': connectorCpu.toFixed(2),
        'rows/s': rate(n, connectorSec),
        'peak RSS MB': connectorRss.toFixed(0),
      },
      {
        reader: 'raw pg server-side cursor',
        rows: m,
        seconds: rawSec.toFixed(2),
        'CPU s': rawCpu.toFixed(2),
        'rows/s': rate(m, rawSec),
        'peak RSS MB': peakRssMb().toFixed(0),
      },
    ];
    console.table(table);
    const ratio = rate(n, connectorSec) / rate(m, rawSec);
    console.log(
      `connector / raw = ${ratio.toFixed(2)} (target ≥ 0.70); connector peak RSS ${connectorRss.toFixed(0)} MB (target ≤ 200 MB); page size ${PAGE}`,
    );
  } finally {
    await client.end();
    await admin.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
    await admin.end();
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});
