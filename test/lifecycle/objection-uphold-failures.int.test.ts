/**
 * An uphold that fails on the way still leaves its decision in the audit chain, after its start
 * (an `objection-attempt`, `started`, recorded before the re-read):
 * - the objection's pipeline gone from the config: an `objection-attempt` (`pipeline-unknown`), the
 *   objection open, exit 3 as for any uphold held back;
 * - the ledger failing after the re-read, when the versions it wrote are read back: an attempt
 *   (`decision-failed`, the error's code only) and the ledger's error passed on;
 * - a ledger that cannot take the decision's transaction records nothing, and the error says so
 *   (the command exits 1) — for a failed attempt and for a decision held back alike; one that
 *   cannot take the start's re-reads nothing;
 * - a rejection recorded while the uphold re-read: the failed uphold is a refused attempt in the
 *   chain, and its own error is passed on, not taken for a chain that holds nothing.
 * Needs Redis (the re-read) and the demo workspace.
 */
import { expect, it } from 'vitest';
import { reportError } from '../../cli/errors.js';
import { ErrorCodes, LicbridgeError } from '../../core/errors.js';
import type { Ledger, VersionPageQuery } from '../../ledger/ledger.js';
import type { ResolveObjectionInput } from '../../ledger/objections.js';
import { ObjectionStaysOpen, upholdObjection } from '../../pipelines/lifecycle/objection-uphold.js';
import { rejectObjection } from '../../pipelines/lifecycle/objections.js';
import { Runtime } from '../../pipelines/runtime.js';
import { quietLogger } from '../ops/ops-fixtures.js';
import { failureOf, objectionWorkspace, PIPELINE, upholdFailure } from './objection-fixture.js';

const demo = objectionWorkspace(20);

/** A license not yet objected to, with an objection opened against it. */
async function objected(): Promise<{ licenseId: string; objectionId: number }> {
  const { license, objection } = await demo.objected({ anyStatus: true, notObjected: true });
  return { licenseId: license.id, objectionId: objection.objectionId };
}

function attempts(licenseId: string): Record<string, unknown>[] {
  return demo
    .audit(licenseId)
    .filter((r) => r.action === 'objection-attempt')
    .map((r) => r.detail);
}

const stateOf = (objectionId: number) =>
  demo.sql(
    (db) =>
      (
        db.prepare('SELECT state FROM objections WHERE objection_id = ?').get(objectionId) as {
          state: string;
        }
      ).state,
  );

/** The uphold's start, recorded before its re-read. */
const started = expect.objectContaining({ decision: 'upheld', result: 'started', stateFound: 'open' });

/** The ledger failing every decision's transaction after the uphold's start. */
function failDecisions(ledger: Ledger): void {
  const resolve = ledger.resolveObjection.bind(ledger);
  ledger.resolveObjection = async (input: ResolveObjectionInput) => {
    if (input.held?.reason === 'started') return resolve(input);
    throw new LicbridgeError(ErrorCodes.LEDGER, 'ledger: resolveObjection: connection reset');
  };
}

/** Upholds under `rt`, with the ledger's version reads (the read-back after the re-read) failing. */
async function upholdWithReadBackFailing(
  rt: Runtime,
  licenseId: string,
  objectionId: number,
  decisionFails: boolean,
): Promise<unknown> {
  const ledger = await rt.ledger();
  ledger.versionPage = async (query: VersionPageQuery) => {
    if (query.licenseIds?.includes(licenseId))
      throw new LicbridgeError(ErrorCodes.LEDGER, 'ledger: versionPage: connection reset');
    return [];
  };
  if (decisionFails) failDecisions(ledger);
  return failureOf(upholdObjection(rt, objectionId, '经营场所待核实', { logger: quietLogger() }));
}

it('an uphold whose pipeline the config no longer defines stays open and is audited', async () => {
  const { licenseId, objectionId } = await objected();
  const failure = await upholdFailure({ ...demo.config, pipelines: {} }, objectionId, 'corrected');
  expect(failure).toBeInstanceOf(ObjectionStaysOpen);
  expect((failure as Error).message).toContain(
    `objection: ${objectionId} stays open: license ${licenseId} belongs to pipeline ${PIPELINE}, which the config no longer defines`,
  );
  expect(stateOf(objectionId)).toBe('open');
  expect(attempts(licenseId)).toEqual([
    {
      objection: objectionId,
      decision: 'upheld',
      result: 'pipeline-unknown',
      stateFound: 'open',
      correctedVersion: null,
      targets: null,
      errorCode: null,
    },
  ]);
});

it('a ledger error between the re-read and the decision is recorded as a failed attempt and passed on', {
  timeout: 120_000,
}, async () => {
  const { licenseId, objectionId } = await objected();
  const rt = new Runtime(demo.config, quietLogger());
  let failure: unknown;
  try {
    failure = await upholdWithReadBackFailing(rt, licenseId, objectionId, false);
  } finally {
    await rt.close();
  }
  expect(failure).toBeInstanceOf(LicbridgeError);
  expect(failure).not.toBeInstanceOf(ObjectionStaysOpen);
  expect((failure as LicbridgeError).message).toBe('ledger: versionPage: connection reset');
  expect(stateOf(objectionId)).toBe('open');
  expect(attempts(licenseId)).toEqual([
    started,
    expect.objectContaining({ result: 'decision-failed', errorCode: ErrorCodes.LEDGER, stateFound: 'open' }),
  ]);
  expect(JSON.stringify(attempts(licenseId))).not.toContain('经营场所');
});

it('a ledger that cannot take the attempt says the decision was not recorded, and the command exits 1', {
  timeout: 120_000,
}, async () => {
  const { licenseId, objectionId } = await objected();
  const rt = new Runtime(demo.config, quietLogger());
  let failure: unknown;
  try {
    failure = await upholdWithReadBackFailing(rt, licenseId, objectionId, true);
  } finally {
    await rt.close();
  }
  expect(failure).toBeInstanceOf(LicbridgeError);
  const message = (failure as Error).message;
  expect(message).toContain(
    `objection: ${objectionId}: the uphold failed (ledger: versionPage: connection reset`,
  );
  expect(message).toContain(
    'and the attempt (decision-failed) could not be recorded in the audit chain either: ledger: resolveObjection: connection reset',
  );
  expect(attempts(licenseId)).toEqual([started]);
  const write = process.stderr.write;
  let printed = '';
  process.stderr.write = ((chunk: string) => {
    printed += chunk;
    return true;
  }) as typeof process.stderr.write;
  let code: number;
  try {
    code = reportError(failure);
  } finally {
    process.stderr.write = write;
  }
  expect(code).toBe(1);
  expect(printed).toContain('could not be recorded in the audit chain either');
});

it('a decision the ledger cannot record says so instead of passing for one the chain holds', {
  timeout: 120_000,
}, async () => {
  const { licenseId, objectionId } = await objected();
  const rt = new Runtime(demo.config, quietLogger());
  let failure: unknown;
  try {
    failDecisions(await rt.ledger());
    // The source still gives the objected content: the uphold is held back (source-unchanged).
    failure = await failureOf(upholdObjection(rt, objectionId, 'corrected', { logger: quietLogger() }));
  } finally {
    await rt.close();
  }
  expect(failure).not.toBeInstanceOf(ObjectionStaysOpen);
  expect((failure as LicbridgeError).code).toBe(ErrorCodes.LEDGER);
  expect((failure as Error).message).toContain(
    `objection: ${objectionId}: this uphold, held back (source-unchanged), was not recorded: the ledger failed the decision's transaction`,
  );
  expect(stateOf(objectionId)).toBe('open');
  expect(attempts(licenseId)).toEqual([started]);
});

it('an uphold whose start the ledger cannot record re-reads nothing and says so', {
  timeout: 120_000,
}, async () => {
  const { licenseId, objectionId } = await objected();
  const runs = () =>
    demo.sql((db) => (db.prepare('SELECT COUNT(*) AS n FROM runs').get() as { n: number }).n);
  const before = runs();
  const rt = new Runtime(demo.config, quietLogger());
  let failure: unknown;
  try {
    const ledger = await rt.ledger();
    ledger.resolveObjection = async () => {
      throw new LicbridgeError(ErrorCodes.LEDGER, 'ledger: resolveObjection: connection reset');
    };
    failure = await failureOf(upholdObjection(rt, objectionId, 'corrected', { logger: quietLogger() }));
  } finally {
    await rt.close();
  }
  expect((failure as LicbridgeError).code).toBe(ErrorCodes.LEDGER);
  expect((failure as Error).message).toContain(
    `objection: ${objectionId}: this uphold was not started (nothing was re-read): its start was not recorded: the ledger failed the decision's transaction`,
  );
  expect(runs()).toBe(before);
  expect(stateOf(objectionId)).toBe('open');
  expect(attempts(licenseId)).toEqual([]);
});

it('a failed uphold another decision overtook is a refused attempt, and its own error is passed on', {
  timeout: 120_000,
}, async () => {
  const { licenseId, objectionId } = await objected();
  const rt = new Runtime(demo.config, quietLogger());
  let failure: unknown;
  try {
    const ledger = await rt.ledger();
    // Another operator rejects while the re-read is out; then reading back what it wrote fails.
    ledger.versionPage = async (query: VersionPageQuery) => {
      if (query.licenseIds?.includes(licenseId)) {
        await rejectObjection(ledger, objectionId, '不予更正');
        throw new LicbridgeError(ErrorCodes.LEDGER, 'ledger: versionPage: connection reset');
      }
      return [];
    };
    failure = await failureOf(upholdObjection(rt, objectionId, '经营场所待核实', { logger: quietLogger() }));
  } finally {
    await rt.close();
  }
  expect((failure as Error).message).toBe('ledger: versionPage: connection reset');
  expect(stateOf(objectionId)).toBe('rejected');
  expect(attempts(licenseId)).toEqual([
    started,
    expect.objectContaining({ result: 'refused', errorCode: ErrorCodes.LEDGER, stateFound: 'rejected' }),
  ]);
});
