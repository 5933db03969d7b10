/**
 * An auth strategy's own fault (a bug throwing a plain Error, not an endpoint's answer) while the
 * catalog request's credentials were made went out of `catalog pull` as it was thrown: no target
 * named, no code, no cause kept and nothing saying the request never left. As a batch's
 * (rest-json-target.ts, rest-json-auth-strategy-fault.int.test.ts): before any send it fails
 * unsent, a licbridge error naming the target with the fault as its cause (credentialsNotMade);
 * after a first send (the retry after a 401) it names the target, not unsent.
 * The strategy is the target's own (created from its config), so the fault is put in its place.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { fetchCatalogTypes } from '../../adapters/platforms/rest-json/catalog-fetch.js';
import type { AuthStrategy } from '../../adapters/platforms/shared/auth/auth-strategy.js';
import { isLicbridgeError } from '../../core/errors.js';
import {
  closedAfterEach,
  expectLoggedMasked,
  expectStrategyFault,
  failingRenewal,
  failure,
  refusingPlatform,
  strategyFault,
  throwingStrategy,
} from './auth-strategy-fault.js';
import { restConfig } from './license-fixture.js';

const strategy = vi.hoisted(() => ({ current: undefined as AuthStrategy | undefined }));
vi.mock('../../adapters/platforms/shared/auth/create-auth.js', () => ({
  createAuthStrategy: () => strategy.current,
}));

const closers = closedAfterEach();
afterEach(() => {
  strategy.current = undefined;
});

/** A platform refusing every request, and a strategy throwing `thrown` from its `after`-th credentials on. */
async function faultyStrategy(after: number, thrown: Error) {
  const platform = await refusingPlatform(closers);
  strategy.current = throwingStrategy(after, thrown);
  return platform;
}

describe('catalog request: an auth strategy that throws', () => {
  it('before any send: fails unsent, naming the target, the fault its cause, logged masked', async () => {
    const thrown = strategyFault();
    const platform = await faultyStrategy(1, thrown);
    const name = `province-catalog-fault-${process.pid}`;

    const error = await failure(fetchCatalogTypes(name, restConfig(platform.url, { timeoutMs: 2000 })));

    expect(platform.seen).toHaveLength(0);
    expectStrategyFault(error, name, thrown, true);
    expect(isLicbridgeError(error) && error.message).toBe(
      `target ${name}: catalog request to ${platform.url} not sent: its credentials could not be made`,
    );
    expectLoggedMasked(error, name, 'catalog pull failed');
  });

  it('after a first send (the retry after a 401): names the target, the fault its cause, not unsent', async () => {
    const thrown = strategyFault();
    const platform = await faultyStrategy(2, thrown);
    const name = `province-catalog-fault-${process.pid}`;

    const error = await failure(fetchCatalogTypes(name, restConfig(platform.url, { timeoutMs: 2000 })));

    expect(platform.seen).toHaveLength(1);
    expectStrategyFault(error, name, thrown, false);
  });

  it('while renewing after a 401: names the target, the catalog request and the platform, not unsent', async () => {
    const thrown = strategyFault();
    const platform = await refusingPlatform(closers);
    strategy.current = failingRenewal(thrown);
    const name = `province-catalog-fault-${process.pid}`;

    const error = await failure(fetchCatalogTypes(name, restConfig(platform.url, { timeoutMs: 2000 })));

    expect(platform.seen).toHaveLength(1);
    expectStrategyFault(error, name, thrown, false);
    expect(isLicbridgeError(error) && error.message).toBe(
      `target ${name}: catalog request to ${platform.url} failed unexpectedly`,
    );
  });
});
