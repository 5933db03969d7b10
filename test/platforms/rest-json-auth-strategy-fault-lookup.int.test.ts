/**
 * An auth strategy's own fault (a bug throwing a plain Error, not an endpoint's answer) while a
 * read-back's credentials were made went out of the lookup as it was thrown: no target named, no
 * code, no cause kept and nothing saying the request never left. As a batch's (rest-json-target.ts,
 * rest-json-auth-strategy-fault.int.test.ts): before any send it fails unsent, a licbridge error
 * naming the target with the fault as its cause (shared/auth/credentials-failure.ts
 * credentialsNotMade); after a first send (the retry after a 401) it names the target, not unsent.
 */
import { describe, expect, it } from 'vitest';
import { isLicbridgeError } from '../../core/errors.js';
import {
  closedAfterEach,
  expectLoggedMasked,
  expectStrategyFault,
  failure,
  faultyRestTarget,
  strategyFault,
} from './auth-strategy-fault.js';

const closers = closedAfterEach();

/** A target whose strategy throws `thrown` from its `after`-th credentials on. */
async function faultyTarget(after: number, thrown: Error) {
  const name = `province-lookup-fault-${process.pid}`;
  const { platform, target } = await faultyRestTarget(closers, name, after, thrown, { timeoutMs: 2000 });
  return { platform, target, name };
}

describe('rest-json lookup: an auth strategy that throws', () => {
  it('before any send: fails unsent, naming the target, the fault its cause, logged masked', async () => {
    const thrown = strategyFault();
    const { platform, target, name } = await faultyTarget(1, thrown);

    const error = await failure(target.lookup(['SP3702000000001']));

    expect(platform.seen).toHaveLength(0);
    expectStrategyFault(error, name, thrown, true);
    expectLoggedMasked(error, name, 'reconcile check failed');
  });

  it('after a first send (the retry after a 401): names the target, the fault its cause, not unsent', async () => {
    const thrown = strategyFault();
    const { platform, target, name } = await faultyTarget(2, thrown);

    const error = await failure(target.lookup(['SP3702000000001']));

    expect(platform.seen).toHaveLength(1);
    expectStrategyFault(error, name, thrown, false);
  });

  it('a listing page the same way: unsent before any send', async () => {
    const thrown = strategyFault();
    const { platform, target, name } = await faultyTarget(1, thrown);

    const error = await failure(
      (async () => {
        for await (const _chunk of target.list()) break;
      })(),
    );

    expect(platform.seen).toHaveLength(0);
    expect(isLicbridgeError(error)).toBe(true);
    if (!isLicbridgeError(error)) return;
    expect(error.context).toMatchObject({ target: name, unsent: true });
    expect(error.cause).toBe(thrown);
  });
});
