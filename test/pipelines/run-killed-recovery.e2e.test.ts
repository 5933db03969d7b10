/**
 * What only the next run can finish of a killed one. A run is killed, and its Redis jobs are then
 * removed (as a Redis restarted without persistence loses them): no job of the dead run is left to
 * do its work, unlike run-killed.e2e.test.ts, where the killed runs' queued jobs may still do it.
 * The next plain run must close the dead run as `abandoned` (run-recovery.ts `markAbandoned`)
 * and queue from the ledger what it left (sweep.ts `recoverPipeline`): killed mid-extraction, its
 * extract job gone; killed once every version was signed, the deliveries no job holds (the
 * extraction's own sweep of unsigned versions cannot queue those). Needs the built CLI
 * (`npm run build`) for the runs that are killed.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Ledger } from '../../ledger/ledger.js';
import { openLedger } from '../../ledger/open-ledger.js';
import { quietLogger } from '../ledger/backends.js';
import { BIN, licbridge } from '../support/cli.js';
import {
  createDemoWorkspace,
  type DemoWorkspace,
  demoConfigYaml,
  obliterate,
} from '../support/demo-workspace.js';

const PIPELINE = 'food-business-licenses';
const SEAL = '3702110000001';

async function redisKeys(prefix: string): Promise<number> {
  const redis = new Redis({ host: '127.0.0.1', port: 6379, maxRetriesPerRequest: 1 });
  try {
    return (await redis.keys(`${prefix}:*`)).length;
  } finally {
    redis.disconnect();
  }
}

const exited = (p: ChildProcess) =>
  new Promise<void>((r) => (p.exitCode !== null || p.signalCode !== null ? r() : p.once('exit', () => r())));

/** The next plain run: it exits 0 with its run done; returns that run's id. */
async function finalRun(ws: DemoWorkspace): Promise<string> {
  const final = await licbridge(['run', '--all', '--json', '--config', ws.configFile], {
    timeoutMs: 240_000,
    env: { LICBRIDGE_LOG_LEVEL: 'silent' },
  });
  expect(final.status, final.stderr).toBe(0);
  const [summary] = (JSON.parse(final.stdout) as { runs: { runId: string; state: string }[] }).runs;
  expect(summary?.state).toBe('done');
  return summary?.runId ?? '';
}

/** Every version of the pipeline signed and accepted once at the platform, and status all well. */
async function allDelivered(ws: DemoWorkspace, ledger: Ledger): Promise<number> {
  const versions = await ledger.versionPage({ afterVersionId: 0, limit: 100_000, pipeline: PIPELINE });
  expect(ws.simulator.stats().accepted).toBe(versions.length);
  expect(await ledger.pipelineBacklog(PIPELINE, SEAL, ['province'])).toEqual({
    unsigned: 0,
    undelivered: { province: 0 },
  });
  expect(await ledger.runningRuns()).toEqual([]);
  const status = await licbridge(['status', '--no-sources', '--config', ws.configFile]);
  expect(status.status, status.stdout).toBe(0);
  expect(status.stdout).toContain('all well');
  return versions.length;
}

describe('a run killed once its versions are signed, its queued jobs lost', () => {
  let ws: DemoWorkspace;
  let ledger: Ledger;
  beforeAll(async () => {
    ws = await createDemoWorkspace({ rows: 60, seed: 9 });
    ledger = await openLedger(`sqlite://${join(ws.dir, 'data', 'ledger.db')}`, { logger: quietLogger });
  });
  afterAll(async () => {
    await ledger?.close();
    await ws?.cleanup();
  });

  it('the next run marks it abandoned and delivers what it signed', async () => {
    // The platform cannot be reached: the run extracts and signs everything, and its deliveries
    // fail and wait for their retry, so none lands before the kill. A kill that lands while a
    // deliver job is trying leaves its deliveries leased for the job's request timeouts plus a
    // margin (workers/deliver-worker.ts), and the next run waits that out before sending them:
    // 5.2 s with the shortest timeout the config allows rather than 25 s with the default. The
    // refused connection fails at once either way.
    const offline = join(ws.dir, 'offline.yaml');
    await writeFile(
      offline,
      demoConfigYaml({ prefix: ws.prefix, simulatorUrl: 'http://127.0.0.1:1' }).replace(
        '    kind: rest-json\n',
        '    kind: rest-json\n    timeoutMs: 100\n',
      ),
    );
    const child = spawn(process.execPath, [BIN, 'run', '--all', '--json', '--config', offline], {
      stdio: 'ignore',
      env: { ...process.env, LICBRIDGE_LOG_LEVEL: 'silent' },
    });
    const end = Date.now() + 60_000;
    let signedAll = false;
    try {
      while (!signedAll && Date.now() < end && child.exitCode === null) {
        const [run] = await ledger.runningRuns();
        signedAll =
          run?.extractedAt != null &&
          (await ledger.pipelineBacklog(PIPELINE, SEAL, ['province'])).unsigned === 0;
        if (!signedAll) await new Promise((r) => setTimeout(r, 50));
      }
    } finally {
      // Killed however the wait ended: a read that throws leaves no run behind.
      child.kill('SIGKILL');
      await exited(child);
    }
    expect(signedAll).toBe(true);
    expect(child.signalCode).toBe('SIGKILL');
    const [dead] = await ledger.runningRuns();
    expect(dead?.pipeline).toBe(PIPELINE);
    const owed = (await ledger.pipelineBacklog(PIPELINE, SEAL, ['province'])).undelivered.province ?? 0;
    expect(owed).toBeGreaterThan(0);

    await obliterate(ws.prefix);
    expect(await redisKeys(ws.prefix)).toBe(0);

    await finalRun(ws);
    // Closed as abandoned by the next run, not left running nor counted done by its deliveries.
    expect((await ledger.getRun(dead?.runId ?? ''))?.state).toBe('abandoned');
    expect(await allDelivered(ws, ledger)).toBe(owed);
  }, 300_000);
});

describe('a run killed after its first page, its queued jobs lost', () => {
  let ws: DemoWorkspace;
  let ledger: Ledger;
  beforeAll(async () => {
    // 150 rows in pages of 100: the first page is committed, the rest is left to the next run.
    ws = await createDemoWorkspace({ rows: 150, seed: 5 });
    ledger = await openLedger(`sqlite://${join(ws.dir, 'data', 'ledger.db')}`, { logger: quietLogger });
  });
  afterAll(async () => {
    await ledger?.close();
    await ws?.cleanup();
  });

  it('the next run marks it abandoned and signs and delivers what it left', async () => {
    const crashed = await licbridge(['run', '--all', '--json', '--config', ws.configFile], {
      env: { LICBRIDGE_TEST_CRASH_AT: 'extract-page-committed:1', LICBRIDGE_LOG_LEVEL: 'silent' },
      timeoutMs: 60_000,
    });
    expect(crashed.signal, crashed.stderr).toBe('SIGKILL');
    const [dead] = await ledger.runningRuns();
    expect(dead?.pipeline).toBe(PIPELINE);
    const left = await ledger.pipelineBacklog(PIPELINE, SEAL, ['province']);
    expect(left.unsigned).toBeGreaterThan(0);

    // Its extract job (held by the dead worker) and everything else it queued are gone.
    await obliterate(ws.prefix);
    expect(await redisKeys(ws.prefix)).toBe(0);

    const resumed = await finalRun(ws);
    // The dead run is closed as abandoned, naming the run that resumed it from the checkpoint.
    const closed = await ledger.getRun(dead?.runId ?? '');
    expect(closed?.state).toBe('abandoned');
    expect(closed?.error).toContain(`run ${resumed} resumes it`);
    // The first page's versions, which no job ever held, are signed and at the platform.
    expect(await allDelivered(ws, ledger)).toBeGreaterThan(left.unsigned);
  }, 300_000);
});
