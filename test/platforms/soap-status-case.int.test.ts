/**
 * A SOAP service writing its statuses as .NET enum names (`Accepted`, `Rejected`, `Submitted`) or
 * in capitals: no standard fixes how the city service spells them, yet each was taken for an
 * unknown status, retried and dead-lettered as "unknown status `Accepted`" — a license the service
 * had accepted recorded as failed.
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

async function deliveredWith(results: (key: string) => SoapResult[]) {
  server = await soapServiceAnswering(([key = '']) => results(key));
  const target = soapTarget(server.url, { batchSize: 10 });
  try {
    const [o] = await target.deliver([deliveryItem(1, { target: 'city' })]);
    return o;
  } finally {
    await target.close();
  }
}

const result = (key: string, status: string, more: Partial<SoapResult> = {}): SoapResult => ({
  key,
  status,
  platformId: null,
  errors: [],
  duplicate: false,
  ...more,
});

describe('a SOAP status spelled in another case', () => {
  it('`Accepted` is an acceptance with the platform id', async () => {
    const o = await deliveredWith((k) => [result(k, 'Accepted', { platformId: 'C-1' })]);
    expect(o).toMatchObject({ state: 'accepted', platformId: 'C-1' });
  });

  it('`REJECTED` is a rejection with its reasons', async () => {
    const o = await deliveredWith((k) => [result(k, 'REJECTED', { errors: ['zzbh: missing'] })]);
    expect(o).toMatchObject({ state: 'rejected', reasons: ['zzbh: missing'] });
  });

  it('`Submitted` waits for the service to decide', async () => {
    const o = await deliveredWith((k) => [result(k, 'Submitted')]);
    expect(o).toMatchObject({ state: 'submitted' });
  });

  it('`accepted` and `Accepted` for one key agree', async () => {
    const o = await deliveredWith((k) => [
      result(k, 'accepted'),
      result(k, 'Accepted', { platformId: 'C-2' }),
    ]);
    expect(o).toMatchObject({ state: 'accepted', platformId: 'C-2' });
  });

  it('`Submitted` next to `Accepted` leaves the acceptance to decide', async () => {
    const o = await deliveredWith((k) => [result(k, 'Submitted'), result(k, 'Accepted')]);
    expect(o).toMatchObject({ state: 'accepted' });
  });

  it('`Rejected` next to `Accepted` still decides nothing', async () => {
    const o = await deliveredWith((k) => [result(k, 'Rejected'), result(k, 'Accepted')]);
    expect(o).toMatchObject({ state: 'failed', retryable: true, failure: 'results-disagree' });
  });
});
