/**
 * A fault of no known kind (an auth strategy's own, after a first send) named the request it
 * failed as a batch upload whatever it was: a status request failing so said `batch upload failed
 * unexpectedly`, and an operator reading it looked at the sends. Each request now names itself
 * and the platform it went to, as its other failures do (../../adapters/platforms/shared/http-failure.ts).
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

const closers = closedAfterEach();

describe('rest-json: a fault of no known kind names the request it failed', () => {
  it('a status request says status request, and the platform it went to', async () => {
    const fault = strategyFault();
    const name = `province-status-fault-${process.pid}`;
    const { platform, target } = await faultyRestTarget(closers, name, 2, fault);

    const [outcome] = await target.poll([{ key: 'L-1:1:province', platformId: null, receipt: null }]);

    expect(platform.seen).toHaveLength(1);
    expect(platform.seen[0]?.url).toMatch(/\/licenses\/status$/);
    expect(outcome?.state).toBe('failed');
    const reason = outcome?.reasons?.[0] ?? '';
    expect(reason).toBe(`target ${name}: status request to ${platform.url} failed unexpectedly`);
  });

  it('a batch says batch upload, and the platform it went to', async () => {
    const fault = strategyFault();
    const name = `province-batch-fault-${process.pid}`;
    const { platform, target } = await faultyRestTarget(closers, name, 2, fault);

    const error = await failure(target.deliver([deliveryItem(1)]));

    expectStrategyFault(error, name, fault, false);
    expect(isLicbridgeError(error) && error.message).toBe(
      `target ${name}: batch upload to ${platform.url} failed unexpectedly`,
    );
  });
});
