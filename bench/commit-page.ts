/**
 * The SQLite ledger's page commit alone: N licenses (default 20,000) committed in pages of 500
 * through `commitPage` into a fresh ledger file — new licenses, then a changed version of each,
 * then the same pages replayed unchanged — against the least SQL that stores the same rows (one
 * prepared better-sqlite3 insert of each license's JSON text and lineage, one transaction per
 * page) in the same run. Prints main-thread CPU µs per license for each pass (better-sqlite3 runs
 * on the calling thread, so the process's CPU is the commit's) and their ratio to the least SQL.
 *
 * `--wal` also prints, per pass, the WAL bytes a license writes and the tables and indexes whose
 * pages they are (bench/wal-frames.ts; the WAL is pinned, so those passes pay for a WAL that
 * grows: read their CPU from a run without `--wal`). `--shuffle` commits the licenses in a random
 * (seeded) order of their ids, as a legacy table read by its own key gives them, so each page's
 * inserts land all over the indexes keyed by license id instead of at their ends. `--page-size B` creates the ledger file with
 * pages of B bytes instead of the ledger's own size, to compare the two.
 *
 * `node dist-bench/bench/commit-page.js [N] [--rounds 3] [--wal] [--shuffle]
 * [--page-size B]` (best of the
 * rounds per pass).
 */
import { createHash } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import Database from 'better-sqlite3';
import type { License } from '../catalog/license.js';
import { encodeKeyPosition } from '../connectors/key-position.js';
import { createLogger } from '../core/logger.js';
import type { VersionCandidate } from '../ledger/ledger.js';
import { openLedger } from '../ledger/open-ledger.js';
import { pinWal, truncateWal, walByBtree } from './wal-frames.js';

const { values: opts, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    rounds: { type: 'string', default: '3' },
    wal: { type: 'boolean', default: false },
    shuffle: { type: 'boolean', default: false },
    'page-size': { type: 'string' },
  },
});
const N = Number(positionals[0] ?? 20_000);
const ROUNDS = Number(opts.rounds);
const PAGE = 500;
const PIPELINE = 'food-business-licenses';
// As the config loader gives them: SHA-256 in hex.
const CATALOG = createHash('sha256').update('catalog').digest('hex');
const MAPPING = createHash('sha256').update('mapping').digest('hex');

function license(n: number, version: number, item: string): License {
  const id = `1.2.156.3005.2.11370200MB12345674001.11370211MB12345672.B${String(n).padStart(9, '0')}`;
  return {
    identifier: `${id}.${String(version).padStart(3, '0')}.F`,
    number: `JY${n}`,
    type: { name: '食品经营许可证', code: '11370200MB12345674001' },
    issuer: { name: '青岛西海岸新区市场监督管理局', code: '11370211MB12345672' },
    issueDate: '2021-03-04',
    validFrom: '2021-03-04',
    validTo: '2026-03-03',
    areaCode: '370211',
    holder: { name: `经营者${n}`, idType: '001', id: '91370211MA3C000000' },
    status: 'valid',
    surface: { businessItems: ['预包装食品销售', item], address: `青岛市黄岛区长江中路${n}号` },
  };
}

function candidate(n: number, runId: string, item: string): VersionCandidate {
  const l = license(n, 1, item);
  return {
    licenseId: l.identifier.slice(0, -6),
    sourceKey: String(n),
    contentHash: createHash('sha256').update(JSON.stringify(l)).digest('hex'),
    status: 'valid',
    lineage: {
      pipeline: PIPELINE,
      source: 'market-food',
      sourceKey: String(n),
      runId,
      catalogVersion: CATALOG,
      mappingVersion: MAPPING,
    },
    build: (v) => license(n, v, item),
  };
}

/** License numbers in commit order: 1..N, or shuffled (Fisher-Yates, a fixed LCG seed). */
const ORDER = Array.from({ length: N }, (_, i) => i + 1);
if (opts.shuffle) {
  let seed = 17;
  for (let i = N - 1; i > 0; i--) {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    const j = seed % (i + 1);
    [ORDER[i], ORDER[j]] = [ORDER[j] as number, ORDER[i] as number];
  }
}

function pages(runId: string, item: string, fp: string): Parameters<Ledger['commitPage']>[0][] {
  const out = [];
  for (let from = 1; from <= N; from += PAGE) {
    const n = Math.min(PAGE, N - from + 1);
    const candidates = Array.from({ length: n }, (_, i) =>
      candidate(ORDER[from + i - 1] as number, runId, item),
    );
    out.push({
      pipeline: PIPELINE,
      runId,
      checkpoint: encodeKeyPosition({ cursor: null, key: String(from + n - 1) }),
      rowsRead: n,
      candidates,
      quarantined: [],
      sourceFingerprints: new Map(candidates.map((c) => [c.sourceKey, `${fp}${c.sourceKey}`])),
    });
  }
  return out;
}

type Ledger = Awaited<ReturnType<typeof openLedger>>;

function cpuUs(): number {
  const u = process.cpuUsage();
  return u.user + u.system;
}

/** WAL bytes per license of each pass, in all and by table or index (`--wal`). */
const walReport: string[] = [];

async function ledgerPasses(dir: string): Promise<Record<string, number>> {
  const file = join(dir, 'ledger.db');
  if (opts['page-size'] !== undefined) {
    // The page size holds from the file's first page on; the ledger's own pragma is then a no-op.
    const db = new Database(file);
    db.pragma(`page_size = ${Number(opts['page-size'])}`);
    db.pragma('journal_mode = WAL');
    db.close();
  }
  const ledger = await openLedger(`sqlite://${file}`, {
    logger: createLogger({ level: 'silent' }),
  });
  await ledger.migrate();
  const out: Record<string, number> = {};
  const passes: [string, string, string][] = [
    ['new licenses', 'a', 'f1:'],
    ['a changed version', 'b', 'f2:'],
    ['replayed unchanged', 'b', 'f2:'],
  ];
  for (const [i, [name, item, fp]] of passes.entries()) {
    const runId = `run-${i}`;
    await ledger.startRun({ runId, pipeline: PIPELINE, mode: 'full' });
    const input = pages(runId, item, fp);
    if (opts.wal) truncateWal(file);
    const pin = opts.wal ? pinWal(file) : undefined;
    const t0 = cpuUs();
    for (const page of input) await ledger.commitPage(page);
    out[name] = (cpuUs() - t0) / N;
    if (pin) {
      const { bytes, byName } = walByBtree(file);
      pin.stop();
      walReport.push(`WAL bytes/license, ${name}: ${(bytes / N).toFixed(0)}`);
      for (const [btree, b] of byName.slice(0, 12))
        walReport.push(`  ${btree.padEnd(48)}${(b / N).toFixed(0).padStart(8)}`);
    }
    await ledger.finishRun(runId, { state: 'done' });
  }
  await ledger.close();
  return out;
}

/** The least SQL storing the same rows: one prepared insert, one transaction per page. */
function leastSql(dir: string): number {
  const db = new Database(join(dir, 'least.db'));
  db.pragma('journal_mode = WAL');
  db.exec(
    'create table v (id integer primary key, license_id text not null, version integer not null, payload text not null, lineage text not null, unique (license_id, version))',
  );
  const insert = db.prepare('insert into v (license_id, version, payload, lineage) values (?, 1, ?, ?)');
  const input = pages('least', 'a', 'f1:');
  const t0 = cpuUs();
  for (const page of input) {
    db.transaction(() => {
      for (const c of page.candidates)
        insert.run(c.licenseId, JSON.stringify(c.build(1)), JSON.stringify(c.lineage));
    })();
  }
  const us = (cpuUs() - t0) / N;
  db.close();
  return us;
}

const best: Record<string, number> = {};
let least = Number.POSITIVE_INFINITY;
for (let r = 0; r < ROUNDS; r++) {
  const dir = await mkdtemp(join(tmpdir(), 'lb-bench-commit-'));
  try {
    least = Math.min(least, leastSql(dir));
    for (const [name, us] of Object.entries(await ledgerPasses(dir)))
      best[name] = Math.min(best[name] ?? us, us);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
const row = (label: string, value: string) => console.log(`${label.padEnd(52)}${value.padStart(10)}`);
console.log(
  `commitPage on SQLite, ${N.toLocaleString('en')} licenses in pages of ${PAGE}, best of ${ROUNDS}`,
);
row('CPU µs/license: least SQL (one prepared insert)', least.toFixed(0));
for (const [name, us] of Object.entries(best)) {
  row(`CPU µs/license: commitPage, ${name}`, us.toFixed(0));
  row(`  ratio to the least SQL`, (us / least).toFixed(2));
}
if (opts.wal) console.log(walReport.slice(-walReport.length / ROUNDS).join('\n'));
console.log(JSON.stringify({ rows: N, leastSqlUs: Math.round(least), commitPageUs: best }));
