/**
 * A fault of the HTTP client's own during a credential request (not an error of the HTTP library:
 * no transport failure, no answer) was failed as the endpoint out of reach: retryable
 * TARGET_UNREACHABLE, 'token request to … failed: connection failed', the fault replaced by a bare
 * `transport error`. It is now what a platform request's such fault is (rest-json lookups, batches):
 * INTERNAL, final, '… token request to https://host:port failed unexpectedly', the fault its cause,
 * masked when logged. An endpoint that refuses the connection still fails retryable (see
 * credential-request-failure-kind.int.test.ts).
 */
import type { AxiosInstance } from 'axios';
import { describe, expect, it } from 'vitest';
import { sendCredentialRequest } from '../../adapters/platforms/shared/auth/credential-request.js';
import { ErrorCodes, isLicbridgeError } from '../../core/errors.js';
import { expectLoggedMasked, failure, strategyFault } from './auth-strategy-fault.js';

const url = 'https://platform.example.test:8443/api';

/** The target's client, failing every request with `fault`. */
const faultyClient = (fault: Error) =>
  ({
    request: async () => {
      throw fault;
    },
  }) as unknown as AxiosInstance;

describe("a credential request failed by the HTTP client's own fault", () => {
  it('is INTERNAL and final, naming the request and the endpoint, the fault its cause', async () => {
    const fault = strategyFault();
    const connection = { target: 'province', url, tls: undefined, http: faultyClient(fault) };

    const error = await failure(
      sendCredentialRequest(connection, 'auth oauth2: token request', {
        method: 'POST',
        url: 'https://platform.example.test:8443/oauth/token',
        data: 'grant_type=client_credentials',
        timeoutMs: 1000,
      }),
    );

    expect(isLicbridgeError(error)).toBe(true);
    if (!isLicbridgeError(error)) return;
    expect(error.message).toBe(
      'target province: auth oauth2: token request to https://platform.example.test:8443 failed unexpectedly',
    );
    expect([error.code, error.retryable]).toEqual([ErrorCodes.INTERNAL, false]);
    expect(error.context).toMatchObject({ target: 'province' });
    expect(error.cause).toBe(fault);
    expectLoggedMasked(error, 'province', 'deliver failed');
  });
});
