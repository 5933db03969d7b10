// A fault of no known kind in a front database's status request (the adapter's own, reading the
// states it read) left the keys of its statement unverified with the fault's own text as their
// reason: no target, no request, and a text that may quote a license's holder, kept as each
// delivery's last error. The REST/JSON and SOAP/XML status requests, and a front database's send,
// name the target and the request ('target city: status request to exchange table UP_LIC_DATA
// failed unexpectedly'); the fault is the cause only.
import { describe, expect, it, vi } from 'vitest';
import { pollExchange } from '../../adapters/platforms/front-db/exchange-poll.js';
import type { ExchangeState } from '../../adapters/platforms/front-db/exchange-status.js';

const faulty = vi.hoisted(() => ({ key: '' }));
vi.mock('../../adapters/platforms/front-db/exchange-status.js', async (original) => {
  const real = await original<typeof import('../../adapters/platforms/front-db/exchange-status.js')>();
  return {
    ...real,
    // Reading the state of one key fails with a fault of the adapter's own.
    outcomeOfCode: (...args: Parameters<typeof real.outcomeOfCode>) => {
      if (args[0] === faulty.key)
        throw new TypeError('reading state: cannot read properties of undefined (holder 13912340001)');
      return real.outcomeOfCode(...args);
    },
  };
});

const POLL = {
  target: 'city',
  table: 'UP_LIC_DATA',
  batchSize: 1,
  exchange: { accepted: ['1'], rejected: ['2'] },
};

describe('front-db: a fault of no known kind in the status request', () => {
  it("fails its statement's keys naming the target and the request, not the fault", async () => {
    const submitted = ['lic-1:1:city', 'lic-2:1:city'].map((key) => ({
      key,
      platformId: key,
      receipt: null,
    }));
    faulty.key = 'lic-2:1:city';
    const read = async (keys: readonly string[]) =>
      new Map<string, ExchangeState>(keys.map((k) => [k, { code: '1' }]));

    const [first, second] = await pollExchange(submitted, POLL, read);

    expect(first).toMatchObject({ key: 'lic-1:1:city', state: 'accepted' });
    expect(second).toMatchObject({ key: 'lic-2:1:city', state: 'failed', retryable: true, unverified: true });
    expect(second?.reasons).toEqual([
      'target city: status request to exchange table UP_LIC_DATA failed unexpectedly',
    ]);
  });
});
