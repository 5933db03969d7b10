/**
 * `licbridge objection resolve <id> --upheld` stopped (SIGTERM) while it waits for its correction's
 * delivery. It applied its re-read without a stop: the signal ended the process, its run stayed
 * `running` and the pipeline leased until the lease ran out. Now it stops as `reconcile --repair`
 * does: the run ends `abandoned`, the pipeline is let go, the objection stays open, and the command
 * says so and exits 143. Needs the built CLI.
 */
import { spawn } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createLogger } from '../../core/logger.js';
import type { Ledger } from '../../ledger/ledger.js';
import { openLedger } from '../../ledger/open-ledger.js';
import { openObjectionFor } from '../../pipelines/lifecycle/objections.js';
import { BIN } from '../support/cli.js';
import { type GateProxy, startGateProxy } from '../support/gate-proxy.js';
import {
  LEGACY_TABLE,
  legacySql,
  REVOKE_PIPELINE as PIPELINE,
  useRevokeWorkspace,
  validLicense,
} from '../support/revoke-workspace.js';

const logger = createLogger({ level: 'silent' });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const fixture = useRevokeWorkspace({ seed: 73 }, logger);
let ledger: Ledger;
let gate: GateProxy;

beforeAll(async () => {
  const { ws } = fixture;
  ledger = await openLedger(`sqlite://${join(ws.dir, 'data', 'ledger.db')}`);
  // Deliveries (POST) held at the gate: the uphold re-reads, then waits for its correction's.
  gate = await startGateProxy(ws.simulator.url, { open: false, holds: (method) => method === 'POST' });
  const yaml = await readFile(ws.configFile, 'utf8');
  await writeFile(ws.configFile, yaml.replace(ws.simulator.url, gate.url));
}, 120_000);
afterAll(async () => {
  await gate?.close();
  await ledger?.close();
});

it('an uphold stopped by SIGTERM ends its run abandoned, lets the pipeline go, leaves the objection open and exits 143', async () => {
  const { ws, config } = fixture;
  const license = await validLicense(ledger);
  const { objection } = await openObjectionFor(config, {
    licenseId: license.licenseId,
    unit: 'u',
    reason: 'r',
  });
  legacySql(ws, `UPDATE ${LEGACY_TABLE} SET JYCS = ? WHERE ID = ?`, '泉城路1号（已更正）', license.sourceKey);
  const before = gate.waiting;
  const child = spawn(
    process.execPath,
    [
      BIN,
      'objection',
      'resolve',
      String(objection.objectionId),
      '--upheld',
      '--note',
      'n',
      '--config',
      ws.configFile,
    ],
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
  const end = Date.now() + 60_000;
  while (Date.now() < end && child.exitCode === null && gate.waiting === before) await sleep(50);
  const held = await ledger.pipelineLeases.holderOf(PIPELINE);
  expect(held?.runId, stderr).toMatch(/^repair-/);
  child.kill('SIGTERM');
  const outcome = await Promise.race([ended, sleep(30_000).then(() => 'running' as const)]);
  if (outcome === 'running') child.kill('SIGKILL');
  expect(outcome, stderr).toEqual({ code: 143, signal: null });
  expect(stderr).toContain(`objection: ${objection.objectionId}: uphold stopped by SIGTERM`);
  expect(await ledger.getRun(held?.runId ?? '')).toMatchObject({ state: 'abandoned' });
  expect(await ledger.pipelineLeases.holderOf(PIPELINE)).toBeNull();
  const [after] = await ledger.listObjections({ objectionId: objection.objectionId });
  expect(after?.state).toBe('open');
}, 120_000);
