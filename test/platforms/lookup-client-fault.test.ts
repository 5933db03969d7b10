/**
 * A fault of no known kind from the HTTP client during a read-back (neither an answer nor a
 * transport failure, and no check stopping it) was failed as the platform out of reach: retryable
 * TARGET_UNREACHABLE, 'target province: lookup failed: <the fault's own text>', the text in the
 * message (an ID number in it too) and the fault itself lost. It is now what a batch's or a catalog
 * request's such fault is: INTERNAL, final, naming the request and the platform, the fault its
 * cause (masked when logged). A read stopped by its check's signal still says so, retryable.
 */
import { describe, expect, it, vi } from 'vitest';
import { RestJsonTarget } from '../../adapters/platforms/rest-json/rest-json-target.js';
import { ErrorCodes, isLicbridgeError } from '../../core/errors.js';
import { clientFault as client } from '../support/faulting-http-client.js';
import { expectLoggedMasked, failure, strategyFault } from './auth-strategy-fault.js';
import { restConfig } from './license-fixture.js';
import { listAll } from './lookup-stand-in.js';

vi.mock('../../adapters/tls-http.js', async (original) =>
  (await import('../support/faulting-http-client.js')).faultingTlsHttp(await original()),
);

const url = 'https://platform.example.test:8443/api';

describe('rest-json read-backs: the HTTP client failing with a fault of its own', () => {
  it('a lookup: INTERNAL, final, naming the lookup and the platform, the fault its cause', async () => {
    const fault = strategyFault();
    client.fault = fault;
    const target = new RestJsonTarget('province', restConfig(url));

    const error = await failure(target.lookup(['lic-000001']));

    expect(isLicbridgeError(error)).toBe(true);
    if (!isLicbridgeError(error)) return;
    expect(error.message).toBe(
      'target province: lookup to https://platform.example.test:8443 failed unexpectedly',
    );
    expect([error.code, error.retryable]).toEqual([ErrorCodes.INTERNAL, false]);
    expect(error.cause).toBe(fault);
    expectLoggedMasked(error, 'province', 'check failed');
  });

  it('a listing request names itself', async () => {
    client.fault = strategyFault();
    const target = new RestJsonTarget('province', restConfig(url));

    const error = await failure(listAll(target));

    expect(isLicbridgeError(error) && error.message).toBe(
      'target province: listing request to https://platform.example.test:8443 failed unexpectedly',
    );
  });

  it('a read stopped by its signal still says it was stopped, retryable', async () => {
    client.fault = Object.assign(new Error('canceled'), { name: 'CanceledError' });
    const target = new RestJsonTarget('province', restConfig(url));
    const stop = new AbortController();
    stop.abort();

    const error = await failure(
      (async () => {
        for await (const _ of target.list({ signal: stop.signal })) void _;
      })(),
    );

    expect(isLicbridgeError(error)).toBe(true);
    if (!isLicbridgeError(error)) return;
    expect(error.message).toBe('target province: listing request failed: canceled');
    expect([error.code, error.retryable]).toEqual([ErrorCodes.TARGET_UNREACHABLE, true]);
  });
});
