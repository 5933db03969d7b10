/**
 * `licbridge run` asked to stop (SIGTERM, SIGINT) ends its runs `abandoned` first
 * (pipelines/run-stop.ts). A ledger that stopped answering then — its connection open, the query
 * never answered — held that step, and the whole stop, for good: the workers, the queues and the
 * leases waited behind it, until a second signal or the supervisor's SIGKILL. The step is bounded
 * like the rest of the stop; the run is then left to the next run, which finds its process gone.
 * Needs Redis and PostgreSQL.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, expect, it } from 'vitest';
import { loadConfig } from '../../config/loader.js';
import { createLogger } from '../../core/logger.js';
import type { Ledger } from '../../ledger/ledger.js';
import { openLedger } from '../../ledger/open-ledger.js';
import { runPipelines } from '../../pipelines/run-pipelines.js';
import { RunStopped } from '../../pipelines/run-stop.js';
import { postgresBackend, type TestDatabase } from '../ledger/backends.js';
import { createDemoWorkspace, type DemoWorkspace } from '../support/demo-workspace.js';
import { type SilentProxy, silentProxy } from '../support/silent-proxy.js';

const PIPELINE = 'food-business-licenses';
const quiet = createLogger({ level: 'silent' });
let ws: DemoWorkspace | undefined;
let db: TestDatabase | undefined;
let proxy: SilentProxy | undefined;
let direct: Ledger | undefined;

afterAll(async () => {
  await direct?.close();
  await proxy?.close();
  await db?.dispose();
  await ws?.cleanup();
});

it('a ledger that stops answering as the runs are ended abandoned does not hold the stop', async () => {
  ws = await createDemoWorkspace({ rows: 300 });
  db = await postgresBackend.create();
  const url = new URL(db.url);
  // Silent from the statement that ends a run as stopped on: its error text is sent with it.
  proxy = await silentProxy(Number(url.port || 5432), /was stopped \(SIG/);
  const proxied = new URL(db.url);
  proxied.host = `127.0.0.1:${proxy.port}`;
  const text = await readFile(ws.configFile, 'utf8');
  await writeFile(
    ws.configFile,
    text.replace('sqlite://./data/ledger.db', proxied.toString()).replace('pageSize: 100', 'pageSize: 5'),
  );
  const config = await loadConfig({ file: ws.configFile, env: {} });
  const stop = new AbortController();
  const run = runPipelines(config, { pipelines: [PIPELINE], full: false, logger: quiet, stop: stop.signal });
  const outcome = run.then(
    () => 'finished' as const,
    (e: unknown) => e,
  );
  // Once its run is in the ledger, the stop comes.
  for (let i = 0; i < 600; i++) {
    direct ??= await openLedger(db.url).catch(() => undefined);
    const last = direct ? await direct.lastRun(PIPELINE).catch(() => null) : null;
    if (last?.state === 'running') break;
    await sleep(50);
  }
  stop.abort('SIGTERM');
  // Twice the stop's whole bound (30 s): a stop held by the silent ledger would still be stopping.
  const ended = await Promise.race([outcome, sleep(60_000).then(() => 'still stopping' as const)]);
  expect(ended).toBeInstanceOf(RunStopped);
  expect(proxy.silenced).toBeGreaterThan(0);
}, 120_000);
