/**
 * Runs that finish: `licbridge run --all` SIGKILLed at random moments, ten times in a row, then
 * run once normally. The plain run finishes what the killed ones left (unsigned versions, signed
 * versions without a delivery, deliveries leased by a dead process, jobs held by dead workers),
 * and afterwards everything agrees: each valid row delivered once, the check clean, signatures
 * and the audit chain valid, `status` all well — where it needed a person before. Needs the
 * built CLI (`npm run build`).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { applyLegacyChanges } from '../../examples/west-coast/update-legacy-db.js';
import type { Ledger } from '../../ledger/ledger.js';
import { openLedger } from '../../ledger/open-ledger.js';
import { BIN, licbridge } from '../support/cli.js';
import { createDemoWorkspace, type DemoWorkspace, demoConfigYaml } from '../support/demo-workspace.js';

const PIPELINE = 'food-business-licenses';

/** The demo config with short locks and a short request timeout, so a dead process's work returns soon. */
function quickRecoveryConfig(ws: DemoWorkspace): string {
  return demoConfigYaml({ prefix: ws.prefix, simulatorUrl: ws.simulator.url })
    .replace(
      'connectTimeoutMs: 3000 }',
      'connectTimeoutMs: 3000, lockDurationMs: 2000, stalledIntervalMs: 500 }',
    )
    .replace('    kind: rest-json\n', '    kind: rest-json\n    timeoutMs: 1000\n    batchSize: 20\n');
}

const exited = (p: ChildProcess) =>
  new Promise<void>((r) => (p.exitCode !== null || p.signalCode !== null ? r() : p.once('exit', () => r())));

/** Starts `run --all`, waits until its run is in the ledger, then kills it after `extraMs` if it still runs. */
async function killRunAt(configFile: string, ledger: Ledger, extraMs: number): Promise<void> {
  const child = spawn(process.execPath, [BIN, 'run', '--all', '--json', '--config', configFile], {
    stdio: 'ignore',
    env: { ...process.env, LICBRIDGE_LOG_LEVEL: 'silent' },
  });
  const mine = ` ${child.pid}`;
  const end = Date.now() + 30_000;
  while (Date.now() < end && child.exitCode === null) {
    const run = (await ledger.runningRuns()).find((r) => r.owner?.endsWith(mine));
    if (run) break;
    // Each look is a ledger query in this process while the child starts (a second or more): a
    // look every 50 ms moves the kill by at most that, against a random delay of up to 2.5 s.
    await new Promise((r) => setTimeout(r, 50));
  }
  // A run that finished before its moment came has nothing left to kill: no use waiting it out.
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([new Promise((r) => (timer = setTimeout(r, extraMs))), exited(child)]);
  clearTimeout(timer);
  child.kill('SIGKILL');
  await exited(child);
}

/**
 * Runs `run --all` that kills itself right after committing its first page of versions, before
 * their sign jobs exist (the `extract-page-committed` crash point): its work is surely unfinished
 * and its run left `running` by a dead process, however fast or loaded the machine is.
 */
async function crashAfterFirstPage(configFile: string): Promise<void> {
  const child = spawn(process.execPath, [BIN, 'run', '--all', '--json', '--config', configFile], {
    stdio: 'ignore',
    env: {
      ...process.env,
      LICBRIDGE_LOG_LEVEL: 'silent',
      LICBRIDGE_TEST_CRASH_AT: 'extract-page-committed:1',
    },
  });
  await exited(child);
  expect(child.signalCode).toBe('SIGKILL');
}

async function series(seed: number): Promise<void> {
  const ws = await createDemoWorkspace({ rows: 150, seed });
  const configFile = join(ws.dir, 'quick.yaml');
  await writeFile(configFile, quickRecoveryConfig(ws));
  const ledger = await openLedger(`sqlite://${join(ws.dir, 'data', 'ledger.db')}`);
  try {
    const t0 = Date.now();
    for (let i = 0; i < 9; i++) await killRunAt(configFile, ledger, Math.floor(Math.random() * 2500));
    // The earlier kills may have left nothing to do (a run can finish before its kill on a fast
    // machine). The last one gets fresh source changes and kills itself right after committing
    // versions for them.
    await applyLegacyChanges(ws.legacyDb, { add: 60, modify: 0, revoke: 0, seed });
    await crashAfterFirstPage(configFile);
    if (process.env.LB_TEST_LOG) process.stderr.write(`kills ${Date.now() - t0} ms\n`);
    const before = await licbridge(['status', '--no-sources', '--config', configFile]);
    expect(before.status, before.stdout).toBe(3);

    const t1 = Date.now();
    const final = await licbridge(['run', '--all', '--json', '--config', configFile], {
      timeoutMs: 120_000,
      env: { LICBRIDGE_LOG_LEVEL: process.env.LB_TEST_LOG ?? 'warn' },
    });
    if (process.env.LB_TEST_LOG) process.stderr.write(`final run ${Date.now() - t1} ms\n${final.stderr}\n`);
    expect(final.status, final.stderr).toBe(0);
    const [summary] = (JSON.parse(final.stdout) as { runs: { state: string }[] }).runs;
    expect(summary?.state).toBe('done');

    // Every valid row once at the platform: one accepted key per version in the ledger.
    const versions = await ledger.versionPage({ afterVersionId: 0, limit: 100_000, pipeline: PIPELINE });
    const licenses = new Set(versions.map((v) => v.licenseId));
    const stats = ws.simulator.stats();
    expect(stats.accepted).toBe(versions.length);
    const held = ws.simulator.licenses();
    expect(held.length).toBe(licenses.size);
    expect(new Set(held.map((l) => l.key)).size).toBe(held.length);
    expect(await ledger.pipelineBacklog(PIPELINE, '3702110000001', ['province'])).toEqual({
      unsigned: 0,
      undelivered: { province: 0 },
    });

    const reconcile = await licbridge(['reconcile', PIPELINE, '--json', '--config', configFile]);
    expect(reconcile.status, reconcile.stdout).toBe(0);
    const verify = await licbridge(['verify', '--all', '--config', configFile]);
    expect(verify.status, verify.stdout + verify.stderr).toBe(0);
    const audit = await licbridge(['audit', 'verify', '--config', configFile]);
    expect(audit.status, audit.stdout + audit.stderr).toBe(0);
    const after = await licbridge(['status', '--config', configFile]);
    expect(after.status, after.stdout).toBe(0);
    expect(after.stdout).toContain('all well');
  } finally {
    await ledger.close();
    await ws.cleanup();
  }
}

// The two series share nothing (each its own demo, ledger, simulator and queue prefix) and spend
// most of their time waiting on the processes they start and kill: run side by side, they take
// the time of one. Their in-process commands still run one at a time (../support/cli-in-process.ts).
describe.concurrent('a run killed at random moments', () => {
  it('first series: ten kills, then one plain run finishes everything', async () => {
    await series(7);
  }, 300_000);

  it('second series, a fresh demo: the same', async () => {
    await series(11);
  }, 300_000);
});
