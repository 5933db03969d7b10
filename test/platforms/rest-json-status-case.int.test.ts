/**
 * A province platform whose result statuses are enum names serialized as written (`ACCEPTED`, as
 * Jackson writes a Java enum by default; `Accepted`, as .NET does): no standard fixes how a status
 * is spelled, yet each was taken for an unknown status, retried and dead-lettered as "unknown
 * status `ACCEPTED`" — a license the platform had accepted recorded as failed, and a rejection
 * dead-lettered without the platform's reasons. The SOAP target reads them so already
 * (soap-status-case.int.test.ts).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { RestJsonTarget } from '../../adapters/platforms/rest-json/rest-json-target.js';
import { deliveryItem, restConfig } from './license-fixture.js';
import { startScriptedServer } from './scripted-server.js';

const closers: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const c of closers.splice(0).reverse()) await c();
});

interface Said {
  status: string;
  platformId?: string;
  errors?: string[];
}

/** A platform answering every key of a batch or a status request with `said`, in order. */
async function targetAnswering(...said: Said[]): Promise<RestJsonTarget> {
  const server = await startScriptedServer((_n, req) => {
    const doc = JSON.parse(req.body) as { items?: { key: string }[]; keys?: string[] };
    const keys = doc.keys ?? (doc.items ?? []).map((i) => i.key);
    return {
      status: 200,
      body: { code: 0, results: keys.flatMap((key) => said.map((s) => ({ key, ...s }))) },
    };
  });
  closers.push(() => server.close());
  const target = new RestJsonTarget('province', restConfig(server.url, { timeoutMs: 2000, attempts: 1 }));
  closers.push(() => target.close());
  return target;
}

async function delivered(...said: Said[]) {
  const target = await targetAnswering(...said);
  const [o] = await target.deliver([deliveryItem(1)]);
  return o;
}

describe('a REST/JSON status spelled in another case', () => {
  it.each(['ACCEPTED', 'Accepted'])('`%s` is an acceptance with the platform id', async (status) => {
    expect(await delivered({ status, platformId: 'P-1' })).toMatchObject({
      state: 'accepted',
      platformId: 'P-1',
    });
  });

  it.each(['REJECTED', 'Rejected'])('`%s` is a rejection with its reasons', async (status) => {
    expect(await delivered({ status, errors: ['zzbh: missing'] })).toMatchObject({
      state: 'rejected',
      reasons: ['zzbh: missing'],
    });
  });

  it.each(['SUBMITTED', 'Pending', 'PENDING'])('`%s` waits for the platform to decide', async (status) => {
    expect(await delivered({ status })).toMatchObject({ state: 'submitted' });
  });

  it('`PENDING` next to `ACCEPTED` leaves the acceptance to decide', async () => {
    expect(await delivered({ status: 'PENDING' }, { status: 'ACCEPTED' })).toMatchObject({
      state: 'accepted',
    });
  });

  it('`REJECTED` next to `accepted` still decides nothing', async () => {
    expect(await delivered({ status: 'REJECTED' }, { status: 'accepted' })).toMatchObject({
      state: 'failed',
      retryable: true,
      failure: 'results-disagree',
    });
  });

  it('a status request answered `ACCEPTED` is the verdict', async () => {
    const target = await targetAnswering({ status: 'ACCEPTED', platformId: 'P-2' });
    const [o] = await target.poll([{ key: deliveryItem(1).key, platformId: null, receipt: null }]);
    expect(o).toMatchObject({ state: 'accepted', platformId: 'P-2' });
  });

  it('a status no spelling makes known is still unknown', async () => {
    expect(await delivered({ status: 'ACCEPTED_LATER' })).toMatchObject({
      state: 'failed',
      retryable: true,
      failure: 'unknown-status',
    });
  });
});
