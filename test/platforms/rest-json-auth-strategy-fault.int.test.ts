/**
 * An auth strategy's own fault (a bug throwing a plain Error, not an endpoint's answer) while the
 * credentials of a batch sent again after a 401 were made: the fault went out of the target as it
 * was thrown, with no target named, no code and nothing saying what failed. It is now a licbridge
 * error naming the target, the fault kept as its cause (masked when logged, as every logged error
 * is), and no `unsent`: the batch's first send reached the platform, an attempt of its licenses.
 * Before any send the fault already failed the request unsent (credentialsNotMade).
 */
import { describe, expect, it } from 'vitest';
import {
  closedAfterEach,
  expectLoggedMasked,
  expectStrategyFault,
  failure,
  faultyRestTarget,
  strategyFault,
} from './auth-strategy-fault.js';
import { deliveryItem } from './license-fixture.js';

const closers = closedAfterEach();

describe('rest-json: an auth strategy that throws after a first send', () => {
  it('fails the request naming the target, its fault kept as the cause, an attempt', async () => {
    const fault = strategyFault();
    const name = `province-auth-fault-${process.pid}`;
    const { platform, target } = await faultyRestTarget(closers, name, 2, fault);

    const error = await failure(target.deliver([deliveryItem(1)]));

    expect(platform.seen).toHaveLength(1);
    expectStrategyFault(error, name, fault, false);
    expectLoggedMasked(error, name, 'delivery failed');
  });
});
