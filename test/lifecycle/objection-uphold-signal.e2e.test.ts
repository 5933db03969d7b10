/**
 * `licbridge objection resolve <id> --upheld` stopped (SIGTERM) while it waits for its correction's
 * delivery. It applied its re-read without a stop: the signal ended the process, its run stayed
 * `running` and the pipeline leased until the lease ran out. Now it stops as `reconcile --repair`
 * does: the run ends `abandoned`, the pipeline is let go, the objection stays open, and the command
 * says so and exits 143. Needs the built CLI.
 */
import { expect, it } from 'vitest';
import { createLogger } from '../../core/logger.js';
import { openObjectionFor } from '../../pipelines/lifecycle/objections.js';
import { commandWaiting, stoppedBySigterm, useHeldDeliveries } from '../support/held-deliveries.js';
import {
  LEGACY_TABLE,
  legacySql,
  REVOKE_PIPELINE as PIPELINE,
  useRevokeWorkspace,
  validLicense,
} from '../support/revoke-workspace.js';

const logger = createLogger({ level: 'silent' });

const fixture = useRevokeWorkspace({ seed: 73 }, logger);
// Deliveries (POST) held at the gate: the uphold re-reads, then waits for its correction's.
const held = useHeldDeliveries(fixture);

it('an uphold stopped by SIGTERM ends its run abandoned, lets the pipeline go, leaves the objection open and exits 143', async () => {
  const { ws, config } = fixture;
  const { ledger } = held;
  const license = await validLicense(ledger);
  const { objection } = await openObjectionFor(config, {
    licenseId: license.licenseId,
    unit: 'u',
    reason: 'r',
  });
  legacySql(ws, `UPDATE ${LEGACY_TABLE} SET JYCS = ? WHERE ID = ?`, '泉城路1号（已更正）', license.sourceKey);
  const uphold = await commandWaiting(fixture, held, [
    'objection',
    'resolve',
    String(objection.objectionId),
    '--upheld',
    '--note',
    'n',
  ]);
  const stderr = uphold.stderr;
  const outcome = await stoppedBySigterm(uphold);
  expect(outcome, stderr()).toEqual({ code: 143, signal: null });
  expect(stderr()).toContain(`objection: ${objection.objectionId}: uphold stopped by SIGTERM`);
  expect(await ledger.getRun(uphold.runId)).toMatchObject({ state: 'abandoned' });
  expect(await ledger.pipelineLeases.holderOf(PIPELINE)).toBeNull();
  const [after] = await ledger.listObjections({ objectionId: objection.objectionId });
  expect(after?.state).toBe('open');
}, 120_000);
