/**
 * A command stopped while it waits for its deliveries, for the end-to-end tests of a repair's and
 * an uphold's stop: the revoke workspace's platform reached through a gate that holds deliveries
 * (POST) and lets listings and look-ups pass, the built CLI started there, and the test told once
 * the command's run holds the pipeline and its delivery waits at the gate. Needs the built CLI.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, expect } from 'vitest';
import type { Ledger } from '../../ledger/ledger.js';
import { openLedger } from '../../ledger/open-ledger.js';
import { BIN } from './cli.js';
import { type GateProxy, startGateProxy } from './gate-proxy.js';
import { REVOKE_PIPELINE, type RevokeFixture } from './revoke-workspace.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export interface HeldDeliveries {
  /** The workspace's ledger. Read inside the tests, as the rest. */
  readonly ledger: Ledger;
  readonly gate: GateProxy;
}

/**
 * Opens the workspace's ledger and points its config at a closed gate, once the workspace is
 * opened (call it after `useRevokeWorkspace`); closes both before the workspace is cleaned up.
 */
export function useHeldDeliveries(fixture: RevokeFixture): HeldDeliveries {
  let ledger: Ledger | undefined;
  let gate: GateProxy | undefined;
  beforeAll(async () => {
    const { ws } = fixture;
    ledger = await openLedger(`sqlite://${join(ws.dir, 'data', 'ledger.db')}`);
    gate = await startGateProxy(ws.simulator.url, { open: false, holds: (method) => method === 'POST' });
    const yaml = await readFile(ws.configFile, 'utf8');
    await writeFile(ws.configFile, yaml.replace(ws.simulator.url, gate.url));
  }, 120_000);
  afterAll(async () => {
    await gate?.close();
    await ledger?.close();
  });
  const need = <T>(value: T | undefined): T => {
    if (value === undefined) throw new Error('held deliveries: not opened yet (read outside its tests)');
    return value;
  };
  return {
    get ledger() {
      return need(ledger);
    },
    get gate() {
      return need(gate);
    },
  };
}

export type Exit = { code: number | null; signal: NodeJS.Signals | null };

export interface WaitingCommand {
  child: ChildProcess;
  /** The repair run that holds the pipeline. */
  runId: string;
  stderr: () => string;
  ended: Promise<Exit>;
}

/**
 * Starts `licbridge args` in the workspace (log level warn, stderr kept); resolves once a delivery
 * more waits at the gate (or the command ended, or a minute passed), the pipeline held by a repair run.
 */
export async function commandWaiting(
  fixture: RevokeFixture,
  held: HeldDeliveries,
  args: readonly string[],
): Promise<WaitingCommand> {
  const { ws } = fixture;
  const { gate, ledger } = held;
  const before = gate.waiting;
  const child = spawn(process.execPath, [BIN, ...args, '--config', ws.configFile], {
    cwd: ws.dir,
    stdio: ['ignore', 'ignore', 'pipe'],
    env: { ...process.env, LICBRIDGE_LOG_LEVEL: 'warn' },
  });
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => {
    stderr += d.toString();
  });
  const ended = new Promise<Exit>((r) => child.once('close', (code, signal) => r({ code, signal })));
  const end = Date.now() + 60_000;
  while (Date.now() < end && child.exitCode === null && gate.waiting === before) await sleep(50);
  const holder = await ledger.pipelineLeases.holderOf(REVOKE_PIPELINE);
  expect(holder?.runId, stderr).toMatch(/^repair-/);
  return { child, runId: holder?.runId ?? '', stderr: () => stderr, ended };
}

/** Sends SIGTERM; how the command ended, or `running` (then killed) if it had not within 30 s. */
export async function stoppedBySigterm(command: WaitingCommand): Promise<Exit | 'running'> {
  command.child.kill('SIGTERM');
  const outcome = await Promise.race([command.ended, sleep(30_000).then(() => 'running' as const)]);
  if (outcome === 'running') command.child.kill('SIGKILL');
  return outcome;
}
