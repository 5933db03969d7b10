/**
 * `licbridge reconcile --repair --yes` stopped while it waits for its deliveries. Asked to stop
 * (SIGTERM, SIGINT), its process was ended by the signal itself: its run stayed `running` and the
 * pipeline leased until the lease ran out, as `licbridge run`'s did before it stopped on a signal.
 * Now it ends its run `abandoned`, lets the pipeline go and exits 143. Killed (SIGKILL), its run
 * named no owner, so nothing ever judged it ownerless: it stayed `running` for good. Now its run
 * names the process and is heartbeaten, and the next `licbridge run` ends it `abandoned` and
 * delivers what it left. Needs the built CLI.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../core/logger.js';
import type { Ledger } from '../../ledger/ledger.js';
import { openLedger } from '../../ledger/open-ledger.js';
import { BIN, licbridge } from '../support/cli.js';
import type { DemoWorkspace } from '../support/demo-workspace.js';
import { type GateProxy, startGateProxy } from '../support/gate-proxy.js';
import {
  deleteValidRow,
  REVOKE_PIPELINE as PIPELINE,
  useRevokeWorkspace,
} from '../support/revoke-workspace.js';

const logger = createLogger({ level: 'silent' });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const fixture = useRevokeWorkspace({ seed: 71 }, logger);
let ws: DemoWorkspace;
let ledger: Ledger;
let gate: GateProxy;

// Registered after the workspace's hooks: opened once it is, closed before it is cleaned up.
beforeAll(async () => {
  ws = fixture.ws;
  ledger = await openLedger(`sqlite://${join(ws.dir, 'data', 'ledger.db')}`);
  // The platform reached through a gate that holds its deliveries (POST) and lets its listings and
  // look-ups pass: a repair checks, then waits for its revocation's delivery.
  gate = await startGateProxy(ws.simulator.url, { open: false, holds: (method) => method === 'POST' });
  const yaml = await readFile(ws.configFile, 'utf8');
  await writeFile(ws.configFile, yaml.replace(ws.simulator.url, gate.url));
}, 120_000);
afterAll(async () => {
  await gate?.close();
  await ledger?.close();
});

/** Deletes the row of a valid license, and starts a repair of it; resolves once it waits. */
async function repairWaiting(): Promise<{
  child: ChildProcess;
  runId: string;
  stderr: () => string;
  ended: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}> {
  await deleteValidRow(ws, ledger);
  const before = gate.waiting;
  const child = spawn(
    process.execPath,
    [BIN, 'reconcile', PIPELINE, '--repair', '--yes', '--config', ws.configFile],
    {
      cwd: ws.dir,
      stdio: ['ignore', 'ignore', 'pipe'],
      env: { ...process.env, LICBRIDGE_LOG_LEVEL: 'warn' },
    },
  );
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => {
    stderr += d.toString();
  });
  const ended = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((r) =>
    child.once('close', (code, signal) => r({ code, signal })),
  );
  // Its revocation written and on its way to the platform: it waits.
  const end = Date.now() + 60_000;
  while (Date.now() < end && child.exitCode === null && gate.waiting === before) await sleep(50);
  const held = await ledger.pipelineLeases.holderOf(PIPELINE);
  expect(held?.runId, stderr).toMatch(/^repair-/);
  return { child, runId: held?.runId ?? '', stderr: () => stderr, ended };
}

describe('a repair stopped while it waits for its deliveries', () => {
  it('on SIGTERM ends its run abandoned, lets the pipeline go and exits 143', async () => {
    const { child, runId, stderr, ended } = await repairWaiting();
    child.kill('SIGTERM');
    const outcome = await Promise.race([ended, sleep(30_000).then(() => 'running' as const)]);
    if (outcome === 'running') child.kill('SIGKILL');
    expect(outcome, stderr()).toEqual({ code: 143, signal: null });
    expect(stderr()).toContain('repair stopped by SIGTERM');
    expect(await ledger.getRun(runId)).toMatchObject({
      state: 'abandoned',
      error: expect.stringContaining('`licbridge reconcile --repair` was stopped (SIGTERM)'),
    });
    expect(await ledger.pipelineLeases.holderOf(PIPELINE)).toBeNull();
  }, 120_000);

  it('killed, leaves a run the next run ends abandoned, delivering what it left', async () => {
    const { child, runId, ended } = await repairWaiting();
    child.kill('SIGKILL');
    expect(await ended).toEqual({ code: null, signal: 'SIGKILL' });
    expect((await ledger.getRun(runId))?.state).toBe('running');
    gate.open();
    const run = await licbridge(['run', PIPELINE, '--json', '--config', ws.configFile], { cwd: ws.dir });
    expect(run.status, run.stderr).toBe(0);
    expect((await ledger.getRun(runId))?.state).toBe('abandoned');
    // Both repairs' revocations delivered by that run.
    expect(await ledger.runningRuns()).toEqual([]);
  }, 180_000);
});
