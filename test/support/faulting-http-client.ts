/**
 * An HTTP client failing every request with a fault of its own (neither an answer nor a transport
 * failure), in place of the one `platformHttp` (adapters/tls-http.ts) makes. A test file mocks the
 * module with it and sets `clientFault.fault` before a request:
 *
 *   vi.mock('../../adapters/tls-http.js', async (original) =>
 *     (await import('../support/faulting-http-client.js')).faultingTlsHttp(await original()),
 *   );
 */
import type * as TlsHttp from '../../adapters/tls-http.js';

/** What the client throws, and how many requests it was asked to make. */
export const clientFault = { fault: undefined as Error | undefined, requests: 0 };

/** The module `real`, its `platformHttp` making the faulting client. */
export function faultingTlsHttp(real: typeof TlsHttp) {
  return {
    ...real,
    platformHttp: () => ({
      http: {
        request: async () => {
          clientFault.requests += 1;
          throw clientFault.fault;
        },
      },
      close: () => undefined,
    }),
  };
}
