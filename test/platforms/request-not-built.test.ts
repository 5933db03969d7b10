/**
 * A fault other than a format error (PayloadError) while a license's part of a request was built (a
 * REST/JSON batch item, a SOAP record, a front database's exchange row) went out of `deliver` bare,
 * before anything was sent: no target, no request named, and every license of the call counted an
 * attempt (pipelines/stages/deliver.ts sentWith). It now fails the call unsent, INTERNAL and final
 * (built again, it fails again), naming the target, the request, where it was to go and the license,
 * the fault its cause, masked when logged.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { FrontDbTarget } from '../../adapters/platforms/front-db/front-db-target.js';
import { RestJsonTarget } from '../../adapters/platforms/rest-json/rest-json-target.js';
import { sentWith } from '../../adapters/platforms/shared/batches.js';
import { SoapXmlTarget } from '../../adapters/platforms/soap-xml/soap-xml-target.js';
import type { DeliveryItem } from '../../adapters/platforms/target.js';
import { ErrorCodes, isLicbridgeError } from '../../core/errors.js';
import { expectLoggedMasked, failure, strategyFault } from './auth-strategy-fault.js';
import { frontDbConfig } from './front-db-fixtures.js';
import { deliveryItem, restConfig, sampleLicense } from './license-fixture.js';

/** Nothing listens there: a request that left would fail as unreachable, not as built. */
const url = 'http://127.0.0.1:9/api';

const closers: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const c of closers.splice(0).reverse()) await c();
});

/** Item `n` whose license's holder cannot be read: the fault's text quotes an ID number. */
function unbuildable(n: number, target: string, fault: Error): DeliveryItem {
  const license = sampleLicense(n);
  Object.defineProperty(license, 'holder', {
    enumerable: true,
    get: () => {
      throw fault;
    },
  });
  return deliveryItem(n, { target, license });
}

function expectNotBuilt(error: unknown, items: DeliveryItem[], message: string, fault: Error): void {
  expect(isLicbridgeError(error)).toBe(true);
  if (!isLicbridgeError(error)) return;
  expect(error.message).toBe(message);
  expect([error.code, error.retryable]).toEqual([ErrorCodes.INTERNAL, false]);
  expect(error.context).toMatchObject({ unsent: true });
  expect(error.cause).toBe(fault);
  // No license of the call is counted tried.
  expect(sentWith(error, items)).toEqual([]);
}

describe("a fault of no known kind while a license's part of a request is built", () => {
  it('rest-json: the call fails unsent, naming the batch upload, the platform and the license', async () => {
    const fault = strategyFault();
    const target = new RestJsonTarget('province', restConfig(url));
    closers.push(() => target.close());
    const items = [deliveryItem(1), unbuildable(2, 'province', fault)];

    const error = await failure(target.deliver(items));

    expectNotBuilt(
      error,
      items,
      'target province: batch upload to http://127.0.0.1:9 not sent: the batch item of license lic-000002 version 1 could not be built',
      fault,
    );
    expectLoggedMasked(error, 'province', 'deliver failed');
  });

  it('soap-xml: the call fails unsent, naming SubmitLicenses, the service and the license', async () => {
    const fault = strategyFault();
    const target = new SoapXmlTarget('city', {
      kind: 'soap-xml',
      url,
      batchSize: 50,
      timeoutMs: 2000,
      concurrency: 1,
      attempts: 3,
    });
    closers.push(() => target.close());
    const items = [deliveryItem(1, { target: 'city' }), unbuildable(2, 'city', fault)];

    const error = await failure(target.deliver(items));

    expectNotBuilt(
      error,
      items,
      'target city: SubmitLicenses to http://127.0.0.1:9 not sent: the record of license lic-000002 version 1 could not be built',
      fault,
    );
    expectLoggedMasked(error, 'city', 'deliver failed');
  });

  it('front-db: the call fails unsent, naming the write, the exchange table and the license', async () => {
    const fault = strategyFault();
    // Never opened: the rows are made before the database is reached.
    const config = frontDbConfig('sqlite', { path: '/nonexistent/front.db' }, 'UP_LIC_DATA');
    const target = new FrontDbTarget('city', config);
    closers.push(() => target.close());
    const items = [deliveryItem(1, { target: 'city' }), unbuildable(2, 'city', fault)];

    const error = await failure(target.deliver(items));

    expectNotBuilt(
      error,
      items,
      'target city: write to exchange table UP_LIC_DATA not sent: the exchange row of license lic-000002 version 1 could not be built',
      fault,
    );
    expectLoggedMasked(error, 'city', 'deliver failed');
  });
});
