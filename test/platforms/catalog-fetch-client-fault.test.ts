/**
 * A fault of no known kind from the HTTP client while the catalog request was made (neither an
 * answer nor a transport failure: the client's own error) went out of `catalog pull` as it was
 * thrown: no target named, no platform, nothing saying a catalog was being pulled, no code. It is
 * now wrapped as a batch's or a lookup's such fault is: INTERNAL, final, naming the target, the
 * catalog request and the platform's origin, the fault kept as its cause (masked when logged).
 */
import { describe, expect, it, vi } from 'vitest';
import { fetchCatalogTypes } from '../../adapters/platforms/rest-json/catalog-fetch.js';
import { ErrorCodes, isLicbridgeError } from '../../core/errors.js';
import { clientFault as client } from '../support/faulting-http-client.js';
import { expectLoggedMasked, failure, strategyFault } from './auth-strategy-fault.js';
import { restConfig } from './license-fixture.js';

vi.mock('../../adapters/tls-http.js', async (original) =>
  (await import('../support/faulting-http-client.js')).faultingTlsHttp(await original()),
);

describe('catalog request: the HTTP client failing with a fault of its own', () => {
  it('fails naming the target, the catalog request and the platform, the fault its cause', async () => {
    const fault = strategyFault();
    client.fault = fault;
    const name = `province-catalog-client-${process.pid}`;
    const url = 'https://platform.example.test:8443/api';

    const error = await failure(fetchCatalogTypes(name, restConfig(url)));

    expect(client.requests).toBe(1);
    expect(isLicbridgeError(error)).toBe(true);
    if (!isLicbridgeError(error)) return;
    expect(error.message).toBe(
      `target ${name}: catalog request to https://platform.example.test:8443 failed unexpectedly`,
    );
    expect(error.code).toBe(ErrorCodes.INTERNAL);
    expect(error.retryable).toBe(false);
    expect(error.context).toMatchObject({ target: name });
    expect(error.cause).toBe(fault);
    expectLoggedMasked(error, name, 'catalog pull failed');
  });
});
