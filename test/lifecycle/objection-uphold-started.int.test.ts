/**
 * An uphold is in the audit chain before its re-read writes the correction (rules art. 16, every
 * act logged): a process that dies once the re-read has written the corrected version — before
 * the decision, or the attempt of a failed one, reaches the ledger — leaves an `objection-attempt`
 * entry (`started`) naming the uphold, beside the correction's own entry. The same uphold run
 * again completes it: upheld, naming the version the first run wrote.
 * Needs Redis (the re-read) and the demo workspace.
 */
import { expect, it } from 'vitest';
import type { ResolveObjectionInput } from '../../ledger/objections.js';
import { upholdObjection } from '../../pipelines/lifecycle/objection-uphold.js';
import { Runtime } from '../../pipelines/runtime.js';
import { quietLogger } from '../ops/ops-fixtures.js';
import { failureOf, objectionWorkspace } from './objection-fixture.js';

const demo = objectionWorkspace(20);

/** The objection entries about `licenseId`: each `step`, or `result` of an attempt. */
const decisions = (licenseId: string) =>
  demo
    .audit(licenseId)
    .map((r) => `${r.action}:${r.detail.step ?? `${r.detail.decision}/${r.detail.result}`}`);

class Killed extends Error {}

it('an uphold that dies after its re-read wrote the correction is named in the chain, and run again completes', {
  timeout: 180_000,
}, async () => {
  const { config } = demo;
  const { license: lic, objection } = await demo.objected();
  // The department corrected the row in its business system.
  demo.setPlace(lic.sourceKey, '青岛市黄岛区香江路9号（更正）');

  const rt = new Runtime(config, quietLogger());
  let failure: unknown;
  try {
    const ledger = await rt.ledger();
    // The process dies when the uphold reads back what its re-read wrote: from then on nothing
    // of it reaches the ledger, as after a kill.
    let dead = false;
    const versionPage = ledger.versionPage.bind(ledger);
    ledger.versionPage = async (query) => {
      if (query.licenseIds?.includes(lic.id)) {
        dead = true;
        throw new Killed('killed');
      }
      return versionPage(query);
    };
    const resolve = ledger.resolveObjection.bind(ledger);
    ledger.resolveObjection = async (input: ResolveObjectionInput) => {
      if (dead) throw new Killed('killed');
      return resolve(input);
    };
    failure = await failureOf(
      upholdObjection(rt, objection.objectionId, 'corrected', { logger: quietLogger() }),
    );
  } finally {
    await rt.close();
  }
  expect(failure).toBeInstanceOf(Error);
  // The re-read wrote the correction as version 2; the chain names the uphold that wrote it.
  const versions = () => demo.versionCount(lic.id);
  expect(versions()).toBe(2);
  expect(decisions(lic.id)).toEqual(['objection:open', 'objection-attempt:upheld/started']);

  // Run again, the uphold completes: the re-read writes nothing new, the decision names version 2.
  const again = new Runtime(config, quietLogger());
  try {
    const upheld = await upholdObjection(again, objection.objectionId, 'corrected', {
      logger: quietLogger(),
    });
    expect(upheld).toMatchObject({ state: 'upheld', correctedVersion: 2 });
  } finally {
    await again.close();
  }
  expect(versions()).toBe(2);
  expect(decisions(lic.id)).toEqual([
    'objection:open',
    'objection-attempt:upheld/started',
    'objection-attempt:upheld/started',
    'objection:upheld',
  ]);
});
