/**
 * An auth strategy's own fault (a plain Error) before a request's first send failed it as 'target
 * province: the request's credentials could not be made': unsent, but saying neither which request
 * (a batch, a status request, a lookup, a listing page) nor where it was to go. Each now names
 * itself and the platform: 'target province: status request to https://host:port not sent: its
 * credentials could not be made'. Still INTERNAL, unsent, the fault its cause.
 */
import { describe, expect, it } from 'vitest';
import { isLicbridgeError } from '../../core/errors.js';
import {
  closedAfterEach,
  expectStrategyFault,
  failure,
  faultyRestTarget,
  strategyFault,
} from './auth-strategy-fault.js';
import { deliveryItem } from './license-fixture.js';
import { listAll } from './lookup-stand-in.js';

const closers = closedAfterEach();

/** A target whose strategy throws `fault` at its first credentials. */
const targetWithFault = (name: string, fault: Error) =>
  faultyRestTarget(closers, name, 1, fault, { timeoutMs: 2000 });

const notMade = (name: string, action: string, origin: string) =>
  `target ${name}: ${action} to ${origin} not sent: its credentials could not be made`;

describe("rest-json: a request whose credentials a strategy's fault kept from being made names itself", () => {
  it('a batch upload', async () => {
    const fault = strategyFault();
    const name = `province-not-made-${process.pid}`;
    const { platform, target } = await targetWithFault(name, fault);

    const error = await failure(target.deliver([deliveryItem(1)]));

    expect(platform.seen).toHaveLength(0);
    expectStrategyFault(error, name, fault, true);
    expect(isLicbridgeError(error) && error.message).toBe(notMade(name, 'batch upload', platform.url));
  });

  it('a status request', async () => {
    const name = `province-not-made-${process.pid}`;
    const { platform, target } = await targetWithFault(name, strategyFault());

    const [outcome] = await target.poll([{ key: 'L-1:1:province', platformId: null, receipt: null }]);

    expect(platform.seen).toHaveLength(0);
    expect(outcome).toMatchObject({ state: 'failed', unsent: true });
    expect(outcome?.reasons).toEqual([notMade(name, 'status request', platform.url)]);
  });

  it('a lookup and a listing request', async () => {
    const name = `province-not-made-${process.pid}`;
    const { platform, target } = await targetWithFault(name, strategyFault());

    const lookup = await failure(target.lookup(['lic-000001']));
    const listing = await failure(listAll(target));

    expect(platform.seen).toHaveLength(0);
    expect(isLicbridgeError(lookup) && lookup.message).toBe(notMade(name, 'lookup', platform.url));
    expect(isLicbridgeError(listing) && listing.message).toBe(notMade(name, 'listing request', platform.url));
  });
});
