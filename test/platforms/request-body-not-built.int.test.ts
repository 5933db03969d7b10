/**
 * A fault other than a body too large (RangeError) while a request's body was built from its
 * licenses' parts (shared/request-bytes.ts buildingBody: the REST/JSON batch, the SOAP envelope)
 * went on as thrown: the call's first request failed deliver bare, its licenses counted tried, and
 * a later one read 'failed unexpectedly', retryable, counted tried, though nothing left this host.
 * It is now failed as a license's part that cannot be built is (00fd36ba): unsent, INTERNAL and
 * final, naming the target, the request and where it was to go, the fault its cause (masked when
 * logged).
 */
import { describe, expect, it, vi } from 'vitest';
import { RestJsonTarget } from '../../adapters/platforms/rest-json/rest-json-target.js';
import { sentWith } from '../../adapters/platforms/shared/batches.js';
import { SoapXmlTarget } from '../../adapters/platforms/soap-xml/soap-xml-target.js';
import type { DeliveryItem } from '../../adapters/platforms/target.js';
import { ErrorCodes, isLicbridgeError } from '../../core/errors.js';
import { closedAfterEach, expectLoggedMasked, failure, strategyFault } from './auth-strategy-fault.js';
import { deliveryItem, restConfig } from './license-fixture.js';
import { startScriptedServer } from './scripted-server.js';

const faulty = vi.hoisted(() => ({ key: '', fault: undefined as Error | undefined }));
vi.mock('../../adapters/platforms/rest-json/batch-body.js', async (original) => {
  const real = await original<typeof import('../../adapters/platforms/rest-json/batch-body.js')>();
  return {
    ...real,
    bodyOfTexts: (keys: readonly string[], texts: readonly string[]) => {
      if (keys.includes(faulty.key)) throw faulty.fault;
      return real.bodyOfTexts(keys, texts);
    },
  };
});
vi.mock('../../adapters/platforms/soap-xml/envelope.js', async (original) => {
  const real = await original<typeof import('../../adapters/platforms/soap-xml/envelope.js')>();
  return {
    ...real,
    submitEnvelope: (...args: Parameters<typeof real.submitEnvelope>) => {
      if (args[0].some((r) => r.key === faulty.key)) throw faulty.fault;
      return real.submitEnvelope(...args);
    },
  };
});

const closers = closedAfterEach();

function expectNotBuilt(error: unknown, items: DeliveryItem[], message: string): void {
  expect(isLicbridgeError(error)).toBe(true);
  if (!isLicbridgeError(error)) return;
  expect(error.message).toBe(message);
  expect([error.code, error.retryable]).toEqual([ErrorCodes.INTERNAL, false]);
  expect(error.context).toMatchObject({ unsent: true });
  expect(error.cause).toBe(faulty.fault);
  // Nothing left this host: no license of the call counted tried.
  expect(sentWith(error, items)).toEqual([]);
}

describe("a fault of no known kind while a request's body is built", () => {
  it('rest-json, first request: the call fails unsent, naming the batch upload and the platform', async () => {
    const platform = await startScriptedServer(() => ({ status: 500, body: {} }));
    closers.push(() => platform.close());
    const name = `province-body-${process.pid}`;
    const target = new RestJsonTarget(name, restConfig(platform.url));
    closers.push(() => target.close());
    const items = [deliveryItem(1, { target: name }), deliveryItem(2, { target: name })];
    faulty.key = items[1]?.key ?? '';
    faulty.fault = strategyFault();

    const error = await failure(target.deliver(items));

    expectNotBuilt(
      error,
      items,
      `target ${name}: batch upload to ${platform.url} not sent: its body could not be built`,
    );
    expect(platform.seen).toHaveLength(0);
    expectLoggedMasked(error, name, 'deliver failed');
  });

  it('rest-json, after an answered request: the licenses left fail unsent and final, not tried', async () => {
    const platform = await startScriptedServer((_n, req) => {
      const { items } = JSON.parse(req.body) as { items: { key: string }[] };
      return {
        status: 200,
        body: { code: 0, results: items.map((i) => ({ key: i.key, status: 'accepted', platformId: 'p' })) },
      };
    });
    closers.push(() => platform.close());
    const name = `province-body-later-${process.pid}`;
    const target = new RestJsonTarget(name, restConfig(platform.url, { batchSize: 1 }));
    closers.push(() => target.close());
    const items = [1, 2, 3].map((n) => deliveryItem(n, { target: name }));
    faulty.key = items[1]?.key ?? '';
    faulty.fault = strategyFault();

    const [first, second, third] = await target.deliver(items);

    expect(first?.state).toBe('accepted');
    const reason = `target ${name}: batch upload to ${platform.url} not sent: its body could not be built`;
    for (const o of [second, third])
      expect(o).toMatchObject({ state: 'failed', retryable: false, unsent: true, reasons: [reason] });
    expect(platform.seen).toHaveLength(1);
  });

  it('soap-xml, first request: the call fails unsent, naming SubmitLicenses and the service', async () => {
    const url = 'http://127.0.0.1:9/soap';
    const target = new SoapXmlTarget('city', {
      kind: 'soap-xml',
      url,
      batchSize: 50,
      timeoutMs: 2000,
      concurrency: 1,
      attempts: 3,
    });
    closers.push(() => target.close());
    const items = [deliveryItem(1, { target: 'city' }), deliveryItem(2, { target: 'city' })];
    faulty.key = items[0]?.key ?? '';
    faulty.fault = strategyFault();

    const error = await failure(target.deliver(items));

    expectNotBuilt(
      error,
      items,
      'target city: SubmitLicenses to http://127.0.0.1:9 not sent: its body could not be built',
    );
    expectLoggedMasked(error, 'city', 'deliver failed');
  });
});
