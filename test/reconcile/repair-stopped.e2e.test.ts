/**
 * `licbridge reconcile --repair --yes` stopped while it waits for its deliveries. Asked to stop
 * (SIGTERM, SIGINT), its process was ended by the signal itself: its run stayed `running` and the
 * pipeline leased until the lease ran out, as `licbridge run`'s did before it stopped on a signal.
 * Now it ends its run `abandoned`, lets the pipeline go and exits 143. Killed (SIGKILL), its run
 * named no owner, so nothing ever judged it ownerless: it stayed `running` for good. Now its run
 * names the process and is heartbeaten, and the next `licbridge run` ends it `abandoned` and
 * delivers what it left. Needs the built CLI.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../core/logger.js';
import { licbridge } from '../support/cli.js';
import {
  commandWaiting,
  stoppedBySigterm,
  useHeldDeliveries,
  type WaitingCommand,
} from '../support/held-deliveries.js';
import {
  deleteValidRow,
  REVOKE_PIPELINE as PIPELINE,
  useRevokeWorkspace,
} from '../support/revoke-workspace.js';

const logger = createLogger({ level: 'silent' });

const fixture = useRevokeWorkspace({ seed: 71 }, logger);
// Registered after the workspace's hooks: opened once it is, closed before it is cleaned up.
// The platform reached through a gate that holds its deliveries (POST) and lets its listings and
// look-ups pass: a repair checks, then waits for its revocation's delivery.
const held = useHeldDeliveries(fixture);

/** Deletes the row of a valid license, and starts a repair of it; resolves once it waits. */
async function repairWaiting(): Promise<WaitingCommand> {
  await deleteValidRow(fixture.ws, held.ledger);
  // Its revocation written and on its way to the platform: it waits.
  return commandWaiting(fixture, held, ['reconcile', PIPELINE, '--repair', '--yes']);
}

/**
 * What a killed process held returns in seconds, not the ~40 s of the defaults: its delivery's
 * lease (the target's request timeout, 10 s, per request of the send and one more, plus 5 s) and
 * its job's lock (10 s, looked for every 2 s). The product's knobs, as an operator sets them. A
 * request timing out at the gate changes nothing: the repair is killed once its delivery waits
 * there, and one that timed out first still waits for its deliveries, retrying.
 */
async function quickRecovery(configFile: string): Promise<void> {
  const yaml = await readFile(configFile, 'utf8');
  const quick = yaml
    .replace(
      'connectTimeoutMs: 3000 }',
      'connectTimeoutMs: 3000, lockDurationMs: 2000, stalledIntervalMs: 500 }',
    )
    .replace('    kind: rest-json\n', '    kind: rest-json\n    timeoutMs: 2000\n');
  expect(quick).toContain('stalledIntervalMs: 500 }');
  expect(quick).toContain('timeoutMs: 2000\n');
  await writeFile(configFile, quick);
}

describe('a repair stopped while it waits for its deliveries', () => {
  it('on SIGTERM ends its run abandoned, lets the pipeline go and exits 143', async () => {
    const { ledger } = held;
    const repair = await repairWaiting();
    const { runId, stderr } = repair;
    const outcome = await stoppedBySigterm(repair);
    expect(outcome, stderr()).toEqual({ code: 143, signal: null });
    expect(stderr()).toContain('repair stopped by SIGTERM');
    expect(await ledger.getRun(runId)).toMatchObject({
      state: 'abandoned',
      error: expect.stringContaining('`licbridge reconcile --repair` was stopped (SIGTERM)'),
    });
    expect(await ledger.pipelineLeases.holderOf(PIPELINE)).toBeNull();
  }, 120_000);

  it('killed, leaves a run the next run ends abandoned, delivering what it left', async () => {
    const { ws } = fixture;
    const { ledger, gate } = held;
    await quickRecovery(ws.configFile);
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
