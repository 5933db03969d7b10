/**
 * A fault of no known kind from the HTTP client (neither an answer nor a transport failure) failed
 * a SOAP request as 'target city: SubmitLicenses failed unexpectedly': the operation named, the
 * service not, where every other failure of the request names the service's origin. It now names
 * it, as the REST/JSON requests' such faults do; INTERNAL and final as before, the fault its cause.
 */
import { describe, expect, it, vi } from 'vitest';
import { ErrorCodes, isLicbridgeError } from '../../core/errors.js';
import { clientFault as client } from '../support/faulting-http-client.js';
import { failure, strategyFault } from './auth-strategy-fault.js';
import { deliveryItem } from './license-fixture.js';
import { soapTarget } from './soap-stand-in.js';

vi.mock('../../adapters/tls-http.js', async (original) =>
  (await import('../support/faulting-http-client.js')).faultingTlsHttp(await original()),
);

describe('soap-xml: the HTTP client failing with a fault of its own', () => {
  it('SubmitLicenses names the service it was sent to', async () => {
    const fault = strategyFault();
    client.fault = fault;
    const target = soapTarget('https://exchange.example.test:8443/ws/license');

    const error = await failure(target.deliver([deliveryItem(1, { target: 'city' })]));

    expect(isLicbridgeError(error)).toBe(true);
    if (!isLicbridgeError(error)) return;
    expect(error.message).toBe(
      'target city: SubmitLicenses to https://exchange.example.test:8443 failed unexpectedly',
    );
    expect([error.code, error.retryable]).toEqual([ErrorCodes.INTERNAL, false]);
    expect(error.cause).toBe(fault);
  });

  it('QueryStatus names the service it was sent to', async () => {
    client.fault = strategyFault();
    const target = soapTarget('https://exchange.example.test:8443/ws/license');

    const [outcome] = await target.poll([{ key: 'lic-000001:1:city', platformId: null, receipt: null }]);

    expect(outcome?.reasons).toEqual([
      'target city: QueryStatus to https://exchange.example.test:8443 failed unexpectedly',
    ]);
  });
});
