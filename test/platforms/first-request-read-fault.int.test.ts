/**
 * A fault of no known kind (the adapter's own) reading the answer of a call's first batch request
 * went out of `deliver` as thrown: no target, no request, no code named, where the same fault in a
 * later request of the call reads 'target province: batch upload to https://host:port failed
 * unexpectedly' (batch-stopped-unexpectedly). It now reads so for the first request too; the fault
 * its cause only (masked when logged), and the licenses of that request counted tried: it reached
 * the platform.
 */
import { describe, expect, it, vi } from 'vitest';
import { RestJsonTarget } from '../../adapters/platforms/rest-json/rest-json-target.js';
import { sentWith } from '../../adapters/platforms/shared/batches.js';
import { ErrorCodes, isLicbridgeError } from '../../core/errors.js';
import { closedAfterEach, expectLoggedMasked, failure, strategyFault } from './auth-strategy-fault.js';
import { deliveryItem, restConfig } from './license-fixture.js';
import { startScriptedServer } from './scripted-server.js';

const faulty = vi.hoisted(() => ({ key: '', fault: undefined as Error | undefined }));
vi.mock('../../adapters/platforms/rest-json/outcome.js', async (original) => {
  const real = await original<typeof import('../../adapters/platforms/rest-json/outcome.js')>();
  return {
    ...real,
    // Reading the answer of one key fails with a fault of the adapter's own.
    itemOutcome: (key: string, answer: Parameters<typeof real.itemOutcome>[1]) => {
      if (key === faulty.key) throw faulty.fault;
      return real.itemOutcome(key, answer);
    },
  };
});

const closers = closedAfterEach();

describe("rest-json: a fault of no known kind reading a call's first answer", () => {
  it('fails the call naming the target and the request, the licenses of that request tried', async () => {
    const platform = await startScriptedServer((_n, req) => {
      const { items } = JSON.parse(req.body) as { items: { key: string }[] };
      return {
        status: 200,
        body: { code: 0, results: items.map((i) => ({ key: i.key, status: 'accepted', platformId: 'p' })) },
      };
    });
    closers.push(() => platform.close());
    const name = `province-first-${process.pid}`;
    const target = new RestJsonTarget(name, restConfig(platform.url, { batchSize: 1 }));
    closers.push(() => target.close());
    const items = [deliveryItem(1, { target: name }), deliveryItem(2, { target: name })];
    faulty.key = items[0]?.key ?? '';
    faulty.fault = strategyFault();

    const error = await failure(target.deliver(items));

    expect(isLicbridgeError(error)).toBe(true);
    if (!isLicbridgeError(error)) return;
    expect(error.message).toBe(`target ${name}: batch upload to ${platform.url} failed unexpectedly`);
    expect(error.code).toBe(ErrorCodes.INTERNAL);
    expect(error.cause).toBe(faulty.fault);
    // The first request reached the platform; the second never left.
    expect(sentWith(error, items).map((i) => i.key)).toEqual([items[0]?.key]);
    expectLoggedMasked(error, name, 'deliver failed');
  });
});
