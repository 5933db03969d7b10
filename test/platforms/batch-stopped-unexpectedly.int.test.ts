/**
 * A batch request failing with a fault of no known kind after earlier requests of the call were
 * answered failed the licenses left as 'batch request failed unexpectedly: <the fault's text>':
 * no target, no request named, and the fault's own text (which may quote a license's holder) the
 * stored reason of each. They now read 'target province: batch upload to https://host:port failed
 * unexpectedly', the fault kept as the error's cause only; retryable, as before.
 *
 * The same fault reading the answer of a call's first request went out of `deliver` as thrown: no
 * target, no request, no code named. It now reads so too; the fault its cause only (masked when
 * logged), and the licenses of that request counted tried: it reached the platform.
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

/** A target sending one license a request to a platform accepting all, the answer of item `n` unreadable. */
async function callFaultyAt(n: 0 | 1, tag: string) {
  const platform = await startScriptedServer((_n, req) => {
    const { items } = JSON.parse(req.body) as { items: { key: string }[] };
    return {
      status: 200,
      body: { code: 0, results: items.map((i) => ({ key: i.key, status: 'accepted', platformId: 'p' })) },
    };
  });
  closers.push(() => platform.close());
  const name = `province-${tag}-${process.pid}`;
  const target = new RestJsonTarget(name, restConfig(platform.url, { batchSize: 1 }));
  closers.push(() => target.close());
  const items = [deliveryItem(1, { target: name }), deliveryItem(2, { target: name })];
  faulty.key = items[n]?.key ?? '';
  faulty.fault = strategyFault();
  return { name, url: platform.url, target, items };
}

describe('rest-json: a fault of no known kind stopping a call after an answered request', () => {
  it('fails the licenses left naming the target and the request, not the fault', async () => {
    const { name, url, target, items } = await callFaultyAt(1, 'stopped');

    const [first, second] = await target.deliver(items);

    expect(first?.state).toBe('accepted');
    expect(second).toMatchObject({ state: 'failed', retryable: true });
    expect(second?.reasons).toEqual([`target ${name}: batch upload to ${url} failed unexpectedly`]);
  });
});

describe("rest-json: a fault of no known kind reading a call's first answer", () => {
  it('fails the call naming the target and the request, the licenses of that request tried', async () => {
    const { name, url, target, items } = await callFaultyAt(0, 'first');

    const error = await failure(target.deliver(items));

    expect(isLicbridgeError(error)).toBe(true);
    if (!isLicbridgeError(error)) return;
    expect(error.message).toBe(`target ${name}: batch upload to ${url} failed unexpectedly`);
    expect(error.code).toBe(ErrorCodes.INTERNAL);
    expect(error.cause).toBe(faulty.fault);
    // The first request reached the platform; the second never left.
    expect(sentWith(error, items).map((i) => i.key)).toEqual([items[0]?.key]);
    expectLoggedMasked(error, name, 'deliver failed');
  });
});
