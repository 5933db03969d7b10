/**
 * End-to-end throughput: the demo department's legacy table of N rows (default 100,000) run
 * through `licbridge run` — extract → sign → deliver to the province simulator — on the SQLite
 * ledger and on PostgreSQL (127.0.0.1:5432, db `test`, a fresh schema), against the local signer
 * alone signing on every core, measured in the same run just before each end-to-end run.
 *
 * Reported per ledger: licenses/s, the ratio to the signer alone, main-thread CPU per license by
 * stage (sampling profile, see support/cpu-stages.ts), the simulator's and Redis's CPU per license,
 * ledger bytes per license (per table, and each index apart: support/ledger-bytes.ts), Redis
 * commands per license (INFO commandstats of a redis-server of the bench's own) and peak RSS. The
 * last stdout line is one JSON object.
 *
 * The simulator runs in a process of its own, in memory (`--sim-state` makes it persist as the
 * demo does); the light check after the run is off, as it is not part of extract → sign → deliver.
 *
 * `node dist-bench/bench/pipeline.js [rows] [--ledger sqlite,postgres] [--sign-seconds 5]
 *   [--profile-dir DIR] [--profile-interval-us 10000] [--sim-state] [--keep] [--sql-stats]`   (`--profile-dir`: the main thread's
 *   CPU profile, pipeline-<ledger>.cpuprofile, and the simulator process's, simulator-<ledger>.cpuprofile;
 *   `--sql-stats`: statements per page by
 *   shape, timed inside the drivers, printed to stderr after each run, with the time a call minute by
 *   minute of the shapes that took most, so a statement that slows as the ledger grows shows;   (also `BENCH_ROWS=…`; `--keep` leaves the
 *   ledgers, the SQLite file and the PostgreSQL schema, for a look inside)
 */
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { cp, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { generateSm2KeyPair } from '../adapters/signers/local-sm2/keys.js';
import { LocalSm2Signer } from '../adapters/signers/local-sm2/local-sm2-signer.js';
import { loadConfig } from '../config/loader.js';
import { createLogger } from '../core/logger.js';
import { createRedisClient } from '../pipelines/redis.js';
import { runPipelines } from '../pipelines/run-pipelines.js';
import {
  freePort,
  parseCommandStats,
  redisCpuSeconds,
  startRedis,
  startSimulator,
  stopSimulator,
} from './pipeline-services.js';
import { printSqlStats, SqlMinutes } from './pipeline-sql-minutes.js';
import { type LedgerFigures, printTable } from './pipeline-table.js';
import { commitTime, commitTimeSince, installCommitClock } from './support/commit-clock.js';
import {
  procCpuSeconds,
  SAMPLING_INTERVAL_US,
  type StageCpu,
  StageProfiler,
  threadCpuSeconds,
} from './support/cpu-stages.js';
import { postgresBytes, sqliteBytes } from './support/ledger-bytes.js';
import { installSqlStats } from './support/sql-stats.js';

const { values: opts, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    ledger: { type: 'string', default: 'sqlite,postgres' },
    'sign-seconds': { type: 'string', default: '5' },
    'profile-dir': { type: 'string' },
    'sim-state': { type: 'boolean', default: false },
    keep: { type: 'boolean', default: false },
    'sql-stats': { type: 'boolean', default: false },
    'profile-interval-us': { type: 'string', default: String(SAMPLING_INTERVAL_US) },
  },
});
const ROWS = Number(positionals[0] ?? process.env.BENCH_ROWS ?? 100_000);
if (!Number.isSafeInteger(ROWS) || ROWS < 1) throw new Error(`pipeline bench: rows must be ≥ 1, got ${ROWS}`);
const LEDGERS = (opts.ledger ?? '').split(',').filter(Boolean) as ('sqlite' | 'postgres')[];
const SIGN_SECONDS = Number(opts['sign-seconds']);
const PG_ADMIN = process.env.LICBRIDGE_BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const PIPELINE = 'food-business-licenses';
const SEAL = '3702110000001';
const APP_KEY = 'west-coast-bench';
const SECRET = 'bench-only-secret';
const EXAMPLE = join(import.meta.dirname, '..', '..', 'examples', 'west-coast');

/** The local signer alone on every core: two batches of 512 in flight, as bench/sign.ts measures it. */
async function signAloneRate(keyPem: string, seconds: number): Promise<{ rate: number; cpuUs: number }> {
  const signer = new LocalSm2Signer('alone', {
    kind: 'local-sm2',
    key: keyPem,
    sealId: SEAL,
    distId: '1234567812345678',
    workers: 'auto',
  });
  await signer.open();
  // About the size of a demo license's canonical form (SM3 over it is a small part of the cost).
  const body = `{"holder":{"id":"91370211MA3C000000","idType":"001","name":"青岛西海岸新区某某食品经营部"},"surface":{"businessItems":["预包装食品销售","散装食品销售"],"premises":"长江中路1号"}`;
  const batch = Array.from({ length: 512 }, (_, i) =>
    Buffer.from(`{"identifier":"${i}",${body.slice(1)}`, 'utf8'),
  );
  await signer.sign(batch);
  let signed = 0;
  const cpu0 = process.cpuUsage();
  const start = performance.now();
  const deadline = start + seconds * 1000;
  const lane = async () => {
    while (performance.now() < deadline) {
      const done = await signer.sign(batch);
      signed += done.length;
    }
  };
  await Promise.all([lane(), lane()]);
  const rate = signed / ((performance.now() - start) / 1000);
  const cpu = process.cpuUsage(cpu0);
  await signer.close();
  return { rate, cpuUs: (cpu.user + cpu.system) / signed };
}

async function dropSchema(schema: string): Promise<void> {
  const client = new pg.Client({ connectionString: PG_ADMIN });
  await client.connect();
  await client.query(`drop schema if exists "${schema}" cascade`);
  await client.end();
}

async function runOne(
  kind: 'sqlite' | 'postgres',
  dir: string,
  redisUrl: string,
  keyPem: string,
): Promise<LedgerFigures> {
  const aloneBefore = await signAloneRate(keyPem, SIGN_SECONDS);
  const schema = `bench_${randomUUID().replaceAll('-', '').slice(0, 12)}`;
  const ledgerFile = join(dir, 'data', `ledger-${kind}.db`);
  const ledgerUrl = kind === 'sqlite' ? `sqlite://${ledgerFile}` : `${PG_ADMIN}?schema=${schema}`;
  const sim = await startSimulator(
    { appKey: APP_KEY, secret: SECRET },
    opts['sim-state'] ? join(dir, 'data', `sim-${kind}.json`) : undefined,
    opts['profile-dir'] ? join(resolve(opts['profile-dir']), `simulator-${kind}.cpuprofile`) : undefined,
  );
  const configFile = join(dir, `licbridge-${kind}.yaml`);
  await writeFile(
    configFile,
    readFileSync(join(EXAMPLE, 'licbridge.yaml'), 'utf8')
      .replace(/url: "sqlite:[^"]*"/, `url: "${ledgerUrl}"`)
      .replace(/redis: "[^"]*"/, `redis: "${redisUrl}"`)
      .replace(/prefix: \S+/, `prefix: bench-${kind}`)
      .replace(/url: "\$\{env:LICBRIDGE_PROVINCE_URL[^"]*"/, `url: "${sim.url}"`)
      .replace(/appKey: \S+/, `appKey: ${APP_KEY}`)
      .replace(/secret: "[^"]*"/, `secret: "${SECRET}"`)
      .concat('reconcile: { afterRun: none }\n'),
  );
  const config = await loadConfig({ file: configFile, env: {} });
  const logger = createLogger({ level: process.env.BENCH_LOG_LEVEL ?? 'warn' });
  const redis = createRedisClient(redisUrl, {});
  await redis.flushall();
  const stats0 = parseCommandStats(await redis.info('commandstats'));
  const redisCpu0 = redisCpuSeconds(await redis.info('cpu'));
  const simCpu0 = procCpuSeconds(sim.proc.pid);

  let peakRss = process.memoryUsage.rss();
  const rssTimer = setInterval(() => {
    peakRss = Math.max(peakRss, process.memoryUsage.rss());
  }, 100);
  const sqlMinutes = new SqlMinutes();
  if (opts['sql-stats']) sqlMinutes.start();
  const profiler = new StageProfiler();
  await profiler.start(Number(opts['profile-interval-us']));
  const cpu0 = process.cpuUsage();
  const mainCpu0 = procCpuSeconds(process.pid, `/task/${process.pid}`);
  const commit0 = commitTime();
  // The threads there before the run (V8's platform threads: the concurrent and parallel GC and
  // the optimising compiler; libuv's pool; the profiler's): what they use is measured apart from
  // the threads the run starts, the SM2 pool's workers, gone by the end with their time.
  const threads0 = threadCpuSeconds();
  const t0 = performance.now();
  let lastShown = 0;
  const [summary] = await runPipelines(config, {
    pipelines: [PIPELINE],
    full: true,
    logger,
    onProgress: ([s]) => {
      if (!s || performance.now() - lastShown < 5000) return;
      lastShown = performance.now();
      const secs = (performance.now() - t0) / 1000;
      process.stderr.write(
        `  ${kind} ${secs.toFixed(0)} s: read ${s.read}, signed ${s.signed}, delivered ${s.delivered.province ?? 0}\n`,
      );
    },
  });
  const seconds = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  const mainCpuMs = (procCpuSeconds(process.pid, `/task/${process.pid}`) - mainCpu0) * 1000;
  let olderThreadsMs = 0;
  for (const [tid, secs] of threadCpuSeconds()) {
    const before = threads0.get(tid);
    if (tid !== process.pid && before !== undefined) olderThreadsMs += (secs - before) * 1000;
  }
  const profileFile = opts['profile-dir']
    ? join(opts['profile-dir'], `pipeline-${kind}.cpuprofile`)
    : undefined;
  const stageCpu: StageCpu = await profiler.stop(profileFile);
  const commit = commitTimeSince(commit0);
  clearInterval(rssTimer);
  peakRss = Math.max(peakRss, process.memoryUsage.rss());

  if (opts['sql-stats']) printSqlStats(kind, sqlMinutes, ROWS);
  const simCpu = procCpuSeconds(sim.proc.pid) - simCpu0;
  // The signer alone again right after: on a machine others load too, the mean of before and
  // after is fairer to a run of minutes than one sample of seconds.
  const aloneAfter = await signAloneRate(keyPem, SIGN_SECONDS);
  const alone = {
    rate: (aloneBefore.rate + aloneAfter.rate) / 2,
    cpuUs: (aloneBefore.cpuUs + aloneAfter.cpuUs) / 2,
  };
  const signAlonePerSec = alone.rate;
  const redisCpu = redisCpuSeconds(await redis.info('cpu')) - redisCpu0;
  const stats1 = parseCommandStats(await redis.info('commandstats'));
  redis.disconnect();
  const simStats = await stopSimulator(sim.proc);
  if (summary?.state !== 'done')
    throw new Error(`pipeline bench: run ended ${summary?.state}: ${summary?.error}`);
  const licenses = summary.delivered.province ?? 0;
  const per = (v: number) => v / Math.max(1, licenses);

  const size = kind === 'sqlite' ? await sqliteBytes(ledgerFile) : await postgresBytes(PG_ADMIN, schema);
  if (kind === 'postgres' && !opts.keep) await dropSchema(schema);
  const commands = new Map<string, number>();
  for (const [name, calls] of stats1) {
    // INFO itself is the bench's own traffic.
    if (name === 'info') continue;
    const d = calls - (stats0.get(name) ?? 0);
    if (d > 0) commands.set(name, d);
  }
  const totalCommands = [...commands.values()].reduce((a, b) => a + b, 0);
  const top = [...commands.entries()].sort((a, b) => b[1] - a[1]).slice(0, 8);

  const processCpuMs = (cpu.user + cpu.system) / 1000;
  // Samples are wall time: on a loaded machine a descheduled main thread still collects them. The
  // busy samples only split the main thread's real CPU time (from /proc) between stages. A sample
  // taken in a COMMIT also counts the time the thread slept there waiting for the disk (fsync):
  // that sleep is taken out of the ledger's samples first (support/commit-clock.ts), or the ledger
  // is credited with the disk's time and every other stage understated by as much.
  if (stageCpu.stages.ledger !== undefined) {
    stageCpu.stages.ledger = Math.max(0, stageCpu.stages.ledger - commit.asleepMs);
  }
  const sampledBusyMs = Object.entries(stageCpu.stages)
    .filter(([k]) => k !== 'idle')
    .reduce((a, [, v]) => a + v, 0);
  const scale = sampledBusyMs > 0 ? mainCpuMs / sampledBusyMs : 0;
  const cpuUs: Record<string, number> = {
    'process (all threads)': per(processCpuMs * 1000),
    'main thread': per(mainCpuMs * 1000),
  };
  for (const [stage, ms] of Object.entries(stageCpu.stages).sort((a, b) => b[1] - a[1])) {
    if (stage !== 'idle') cpuUs[`  main: ${stage}`] = per(ms * scale * 1000);
  }
  cpuUs['  main: ledger COMMIT on CPU (measured, in ledger)'] = per(commit.cpuMs * 1000);
  cpuUs['other threads (SM2 pool, GC, I/O)'] = per(Math.max(0, processCpuMs - mainCpuMs) * 1000);
  cpuUs['  of which threads older than the run (V8 GC and compiler, libuv, profiler)'] = per(
    olderThreadsMs * 1000,
  );
  cpuUs['    of which the bench sampling profiler'] = per(stageCpu.profilerThreadMs * 1000);
  cpuUs['  of which threads the run started (SM2 pool)'] = per(
    Math.max(0, processCpuMs - mainCpuMs - olderThreadsMs) * 1000,
  );
  cpuUs['  of which signing (signer alone: CPU per signature)'] = alone.cpuUs;
  cpuUs['province simulator (own process)'] = per(simCpu * 1e6);
  cpuUs['redis-server'] = per(redisCpu * 1e6);
  // Not CPU: wall time the main thread slept in COMMIT (synchronous = FULL), for the record.
  cpuUs['(wall, not CPU) main thread asleep in COMMIT'] = per(commit.asleepMs * 1000);

  const e2ePerSec = licenses / seconds;
  // What the ratio would be on an otherwise idle machine if the stages kept every core busy: the
  // signer's CPU per signature over all CPU a license costs here (licbridge, simulator, Redis; a
  // PostgreSQL server's own CPU is not counted). Load by others moves it far less than wall rates.
  const cpuRatio = alone.cpuUs / (per(processCpuMs * 1000) + per(simCpu * 1e6) + per(redisCpu * 1e6));
  // Each ledger's headline as soon as it is measured: a later run that fails leaves it on record.
  process.stderr.write(
    `  ${kind}: ${licenses} licenses in ${seconds.toFixed(1)} s = ${e2ePerSec.toFixed(0)}/s; signer alone ${signAlonePerSec.toFixed(0)}/s; ratio ${(e2ePerSec / signAlonePerSec).toFixed(3)}; ${Math.round(per(size.total))} B/license; peak RSS ${(peakRss / 2 ** 20).toFixed(0)} MB\n`,
  );
  return {
    ledger: kind,
    licenses,
    quarantined: summary.quarantined,
    seconds,
    e2ePerSec,
    signAlonePerSec,
    signAloneRange: [aloneBefore.rate, aloneAfter.rate],
    ratio: e2ePerSec / signAlonePerSec,
    cpuRatio,
    ledgerBytes: size.total,
    ledgerBytesPerLicense: per(size.total),
    tableBytesPerLicense: Object.fromEntries(
      Object.entries(size.tables)
        .sort((a, b) => b[1] - a[1])
        .map(([t, b]) => [t, Math.round(per(b))]),
    ),
    indexBytesPerLicense: Object.fromEntries(
      Object.entries(size.indexes)
        .sort((a, b) => b[1] - a[1])
        .map(([t, b]) => [t, Math.round(per(b))]),
    ),
    peakRssMb: peakRss / 2 ** 20,
    redisCommandsPerLicense: per(totalCommands),
    redisTopCommands: Object.fromEntries(top.map(([n, c]) => [n, Number(per(c).toFixed(3))])),
    cpuUsPerLicense: cpuUs,
    duplicates: simStats.duplicates,
  };
}

/**
 * The legacy table is written by a process of its own: generating 100,000 rows left ~100 MB of
 * heap in this one, which the peak RSS of the runs measured after it then counted as theirs.
 */
async function generateInChild(file: string, rows: number): Promise<void> {
  const generator = new URL('../examples/west-coast/generate-legacy-db.js', import.meta.url).href;
  const script = `const { generateLegacyDatabase } = await import(${JSON.stringify(generator)});
await generateLegacyDatabase(${JSON.stringify(file)}, { rows: ${rows}, seed: 20201 });`;
  const child = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: 'inherit' });
  const code = await new Promise<number | null>((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', resolve);
  });
  if (code !== 0) throw new Error(`generating the legacy table failed (exit ${code})`);
}

async function main(): Promise<void> {
  if (opts['sql-stats']) installSqlStats();
  installCommitClock();
  const dir = await mkdtemp(join(tmpdir(), 'lb-bench-pipeline-'));
  const redisPort = await freePort();
  const redisProc = await startRedis(redisPort);
  const redisUrl = `redis://127.0.0.1:${redisPort}`;
  try {
    await cp(join(EXAMPLE, 'catalog'), join(dir, 'catalog'), { recursive: true });
    await cp(join(EXAMPLE, 'mappings'), join(dir, 'mappings'), { recursive: true });
    await mkdir(join(dir, 'data', 'keys'), { recursive: true, mode: 0o700 });
    const keyPem = generateSm2KeyPair().privateKeyPem;
    await writeFile(join(dir, 'data', 'keys', 'seal.key.pem'), keyPem, { mode: 0o600 });
    const g0 = performance.now();
    await generateInChild(join(dir, 'data', 'legacy.db'), ROWS);
    process.stderr.write(
      `legacy table: ${ROWS.toLocaleString('en-US')} rows generated in ${((performance.now() - g0) / 1000).toFixed(1)} s\n`,
    );
    const results: LedgerFigures[] = [];
    for (const kind of LEDGERS) results.push(await runOne(kind, dir, redisUrl, keyPem));
    console.log(
      `pipeline end to end: ${ROWS.toLocaleString('en-US')} legacy rows, ${availableParallelism()} core(s), load average ${loadavg()
        .map((l) => l.toFixed(2))
        .join(' ')} (after the runs)`,
    );
    printTable(results);
    const head = results[0];
    const round = (v: number, d = 3) => Number(v.toFixed(d));
    const brief = (r: LedgerFigures) => ({
      licenses: r.licenses,
      e2ePerSec: round(r.e2ePerSec, 1),
      signAlonePerSec: round(r.signAlonePerSec, 1),
      ratio: round(r.ratio),
      cpuRatio: round(r.cpuRatio),
      ledgerBytesPerLicense: round(r.ledgerBytesPerLicense, 0),
      peakRssMb: round(r.peakRssMb, 1),
      redisCommandsPerLicense: round(r.redisCommandsPerLicense, 2),
      seconds: round(r.seconds, 1),
    });
    console.log(
      JSON.stringify({
        rows: ROWS,
        ...(head ? brief(head) : {}),
        ledger: head?.ledger,
        ...Object.fromEntries(results.map((r) => [r.ledger, brief(r)])),
      }),
    );
  } finally {
    redisProc.kill('SIGKILL');
    if (opts.keep) process.stderr.write(`kept ${dir}\n`);
    else await rm(dir, { recursive: true, force: true });
  }
}

await main();
