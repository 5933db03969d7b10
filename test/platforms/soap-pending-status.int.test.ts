/**
 * A city service answering a record it has taken in but not decided on `pending` (or, as a .NET
 * enum writes it, `Pending`) instead of `submitted`, in a `SubmitLicenses` or a `QueryStatus`
 * answer. Read as an unknown status, the send was retried and, its attempts spent, the license
 * dead-lettered as "unknown status `pending`" while the service still reviewed it; a license still
 * under review at each check was failed at every one. It is `submitted`, asked about again by the
 * next status check, as the REST/JSON target reads its platform's `pending`.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { SoapResult } from '../../adapters/platforms/soap-xml/envelope.js';
import { deliveryItem } from './license-fixture.js';
import type { ScriptedServer } from './scripted-server.js';
import { soapServiceAnswering, soapTarget } from './soap-stand-in.js';

let server: ScriptedServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const result = (key: string, status: string, more: Partial<SoapResult> = {}): SoapResult => ({
  key,
  status,
  platformId: null,
  errors: [],
  duplicate: false,
  ...more,
});

/** A target in front of a service answering every key of every request with `results(key)`. */
async function targetAnswering(results: (key: string) => SoapResult[]) {
  server = await soapServiceAnswering((keys) => keys.flatMap(results));
  return soapTarget(server.url, { batchSize: 10 });
}

describe('a SOAP result answered `pending`', () => {
  it.each(['pending', 'Pending', 'PENDING'])(
    '`%s` to a submit waits for the service to decide',
    async (s) => {
      const target = await targetAnswering((k) => [result(k, s, { platformId: 'C-7' })]);
      try {
        const [o] = await target.deliver([deliveryItem(1, { target: 'city' })]);
        expect(o).toMatchObject({
          key: deliveryItem(1, { target: 'city' }).key,
          state: 'submitted',
          platformId: 'C-7',
        });
      } finally {
        await target.close();
      }
    },
  );

  it('`pending` to a QueryStatus leaves the delivery submitted, to be asked again', async () => {
    const target = await targetAnswering((k) => [result(k, 'pending')]);
    try {
      const key = deliveryItem(2, { target: 'city' }).key;
      const outcomes = await target.poll([{ key, platformId: 'C-8', receipt: null }]);
      expect(outcomes).toEqual([expect.objectContaining({ key, state: 'submitted' })]);
      expect(server?.seen[0]?.headers.soapaction).toMatch(/QueryStatus"?$/);
    } finally {
      await target.close();
    }
  });

  it('`pending` next to `accepted` is the acceptance; next to `rejected` decides nothing', async () => {
    const accepted = await targetAnswering((k) => [result(k, 'pending'), result(k, 'accepted')]);
    try {
      const [o] = await accepted.deliver([deliveryItem(3, { target: 'city' })]);
      expect(o).toMatchObject({ state: 'accepted' });
    } finally {
      await accepted.close();
      await server?.close();
    }
    const disagreeing = await targetAnswering((k) => [result(k, 'pending'), result(k, 'rejected')]);
    try {
      const [o] = await disagreeing.deliver([deliveryItem(4, { target: 'city' })]);
      expect(o).toMatchObject({ state: 'failed', retryable: true, failure: 'results-disagree' });
    } finally {
      await disagreeing.close();
    }
  });
});
