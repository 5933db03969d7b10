/**
 * A REST/JSON answer listing one key more than once, or with a status licbridge does not know.
 * The results were put in a map by key, so the last one read was taken: a delivery was recorded
 * accepted on an answer that also refused it (or dead-lettered on one that also accepted it), and a
 * first result carrying the platform id was dropped for a later one without it. Results that
 * disagree are a retryable failure saying so (the next try asks `/licenses/status` first); results
 * that agree are one answer keeping every id and error. An unknown status is named when it is a
 * machine token, as the SOAP target does.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { RestJsonTarget } from '../../adapters/platforms/rest-json/rest-json-target.js';
import { deliveryItem, HOLDER_NAME, restConfig } from './license-fixture.js';
import { startScriptedServer } from './scripted-server.js';

const closers: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const c of closers.splice(0).reverse()) await c();
});

type Result = { status: string; platformId?: string; errors?: string[]; duplicate?: boolean };

/** A target whose platform answers every key of every request (batch or status) with `results`. */
async function answering(results: Result[]) {
  const server = await startScriptedServer((_n, req) => {
    const doc = JSON.parse(req.body) as { items?: { key: string }[]; keys?: string[] };
    const keys = doc.keys ?? (doc.items ?? []).map((i) => i.key);
    return {
      status: 200,
      body: { code: 0, results: keys.flatMap((key) => results.map((r) => ({ key, ...r }))) },
    };
  });
  closers.push(() => server.close());
  const target = new RestJsonTarget('province', restConfig(server.url, { timeoutMs: 2000, attempts: 1 }));
  closers.push(() => target.close());
  return target;
}

describe('REST/JSON: several results for one key', () => {
  for (const order of [
    ['rejected', 'accepted'],
    ['accepted', 'rejected'],
  ]) {
    it(`${order.join(', then ')}: neither, a retryable failure saying so`, async () => {
      const target = await answering(
        order.map((status) =>
          status === 'accepted' ? { status, platformId: 'P-1' } : { status, errors: ['zzbh: 重复'] },
        ),
      );
      const [o] = await target.deliver([deliveryItem(1)]);
      expect(o).toMatchObject({
        state: 'failed',
        retryable: true,
        reasons: [`platform answered 2 results for this key that disagree (${order.join(', ')})`],
      });
    });
  }

  it('a status request answered with results that disagree decides nothing either', async () => {
    const target = await answering([{ status: 'submitted' }, { status: 'rejected', errors: ['zzbh: 重复'] }]);
    const [o] = await target.poll([{ key: deliveryItem(1).key, platformId: null, receipt: null }]);
    expect(o).toMatchObject({
      state: 'failed',
      retryable: true,
      reasons: ['platform answered 2 results for this key that disagree (submitted, rejected)'],
    });
  });

  // A status answer listing the key's history: `submitted` is no verdict, so the acceptance next to
  // it decides (read as a disagreement, the delivery stayed `submitted`, polled until its job failed
  // as still waiting, on a platform that held it accepted).
  for (const order of [
    ['submitted', 'accepted'],
    ['accepted', 'pending'],
  ]) {
    it(`a status request answered ${order.join(', then ')}: accepted`, async () => {
      const target = await answering(order.map((status) => ({ status, platformId: 'P-7' })));
      const [o] = await target.poll([{ key: deliveryItem(1).key, platformId: null, receipt: null }]);
      expect(o).toMatchObject({ state: 'accepted', platformId: 'P-7' });
    });
  }

  it('submitted and accepted naming different platform ids: neither', async () => {
    const target = await answering([
      { status: 'submitted', platformId: 'P-1' },
      { status: 'accepted', platformId: 'P-9' },
    ]);
    const [o] = await target.poll([{ key: deliveryItem(1).key, platformId: null, receipt: null }]);
    expect(o).toMatchObject({
      state: 'failed',
      retryable: true,
      reasons: ['platform answered 2 results for this key that name 2 different platform ids'],
    });
  });

  it('`submitted` and `pending` are one state', async () => {
    const target = await answering([{ status: 'submitted', platformId: 'P-7' }, { status: 'pending' }]);
    const [o] = await target.deliver([deliveryItem(1)]);
    expect(o).toMatchObject({ state: 'submitted', platformId: 'P-7' });
  });

  it('the same status twice is one answer keeping what either result gives', async () => {
    const target = await answering([
      { status: 'accepted', platformId: 'P-2', duplicate: true },
      { status: 'accepted' },
    ]);
    const [o] = await target.deliver([deliveryItem(1)]);
    expect(o).toMatchObject({ state: 'accepted', platformId: 'P-2', receipt: { duplicate: true } });
  });

  it('two rejections keep the errors of both', async () => {
    const target = await answering([
      { status: 'rejected', errors: ['zzbh: 重复'] },
      { status: 'rejected', errors: ['yxqjzrq: 早于 yxqqsrq', 'zzbh: 重复'] },
    ]);
    const [o] = await target.deliver([deliveryItem(1)]);
    expect(o).toMatchObject({ state: 'rejected', reasons: ['zzbh: 重复', 'yxqjzrq: 早于 yxqqsrq'] });
  });

  it('two acceptances naming different platform ids: neither, a retryable failure', async () => {
    const target = await answering([
      { status: 'accepted', platformId: 'P-1' },
      { status: 'accepted', platformId: 'P-9' },
    ]);
    const [o] = await target.deliver([deliveryItem(1)]);
    expect(o).toMatchObject({
      state: 'failed',
      retryable: true,
      reasons: ['platform answered 2 results for this key that name 2 different platform ids'],
    });
  });
});

describe('REST/JSON: a status licbridge does not know', () => {
  it('is a retryable failure naming the status', async () => {
    const target = await answering([{ status: 'pending-review' }]);
    const [o] = await target.deliver([deliveryItem(1)]);
    expect(o).toMatchObject({
      state: 'failed',
      retryable: true,
      reasons: ['platform answered with an unknown status `pending-review`'],
    });
  });

  it('free text as the status is not repeated', async () => {
    const target = await answering([{ status: `${HOLDER_NAME} 处理中` }]);
    const [o] = await target.deliver([deliveryItem(1)]);
    expect(o).toMatchObject({ state: 'failed', reasons: ['platform answered with an unknown status'] });
  });
});
