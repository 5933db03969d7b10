/**
 * An auth strategy's own fault (a bug throwing a plain Error) while it renewed credentials the
 * platform refused (401) went out of the target as it was thrown: no target named, no code, no
 * request named, where the same fault while the credentials were made is a licbridge error
 * (rest-json-auth-strategy-fault). It is now wrapped as that one is: INTERNAL, the target, the
 * request and the platform named, the fault kept as its cause (masked when logged), and no
 * `unsent`: the refused send reached the platform, an attempt of what it carried.
 */
import { describe, expect, it } from 'vitest';
import { isLicbridgeError } from '../../core/errors.js';
import {
  closedAfterEach,
  expectLoggedMasked,
  expectStrategyFault,
  failingRenewal,
  failure,
  refusedRestTarget,
  strategyFault,
} from './auth-strategy-fault.js';
import { deliveryItem } from './license-fixture.js';
import { listAll } from './lookup-stand-in.js';

const closers = closedAfterEach();

/** A target whose renewal throws `thrown`. */
const targetRefused = (name: string, thrown: Error) =>
  refusedRestTarget(closers, name, failingRenewal(thrown), { timeoutMs: 2000 });

describe('rest-json: an auth strategy whose renewal throws after a 401', () => {
  it('a batch: names the target, the batch upload and the platform, the fault its cause, an attempt', async () => {
    const fault = strategyFault();
    const name = `province-renewal-fault-${process.pid}`;
    const { platform, target } = await targetRefused(name, fault);

    const error = await failure(target.deliver([deliveryItem(1)]));

    expect(platform.seen).toHaveLength(1);
    expectStrategyFault(error, name, fault, false);
    expect(isLicbridgeError(error) && error.message).toBe(
      `target ${name}: batch upload to ${platform.url} failed unexpectedly`,
    );
    expectLoggedMasked(error, name, 'delivery failed');
  });

  it('a status request: its deliveries failed naming the status request', async () => {
    const name = `province-renewal-fault-${process.pid}`;
    const { platform, target } = await targetRefused(name, strategyFault());

    const [outcome] = await target.poll([{ key: 'L-1:1:province', platformId: null, receipt: null }]);

    expect(platform.seen).toHaveLength(1);
    expect(outcome).toMatchObject({ state: 'failed', unverified: true });
    expect(outcome?.unsent).toBeUndefined();
    expect(outcome?.reasons).toEqual([
      `target ${name}: status request to ${platform.url} failed unexpectedly`,
    ]);
  });

  it('a lookup and a listing request: each names itself', async () => {
    const fault = strategyFault();
    const name = `province-renewal-fault-${process.pid}`;
    const { platform, target } = await targetRefused(name, fault);

    const lookup = await failure(target.lookup(['lic-000001']));
    const listing = await failure(listAll(target));

    expectStrategyFault(lookup, name, fault, false);
    expectStrategyFault(listing, name, fault, false);
    expect(isLicbridgeError(lookup) && lookup.message).toBe(
      `target ${name}: lookup to ${platform.url} failed unexpectedly`,
    );
    expect(isLicbridgeError(listing) && listing.message).toBe(
      `target ${name}: listing request to ${platform.url} failed unexpectedly`,
    );
  });
});
