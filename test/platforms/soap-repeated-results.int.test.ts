/**
 * A SOAP answer repeating one status for a key: the results were one answer, but only the first
 * result's platform id, errors and `duplicate` were kept. A later result carrying the platform id
 * (the first without it) left the delivery without the id that revocations and lookups need; a
 * second rejection's errors never reached the dead letter; a later `duplicate` was lost to the
 * repair that tells duplicates apart. The answer now keeps what any of them says; two results
 * naming different platform ids decide nothing (a retryable failure; the next try asks first).
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

type Result = Omit<SoapResult, 'key'>;

async function answering(results: Result[]) {
  server = await soapServiceAnswering(([key = '']) => results.map((r) => ({ key, ...r })));
  return soapTarget(server.url, { batchSize: 10 });
}

async function deliverOne(results: Result[]) {
  const target = await answering(results);
  try {
    const [o] = await target.deliver([deliveryItem(1, { target: 'city' })]);
    return o;
  } finally {
    await target.close();
  }
}

const result = (status: string, more: Partial<Result> = {}): Result => ({
  status,
  platformId: null,
  errors: [],
  duplicate: false,
  ...more,
});

describe('SOAP: one status repeated for a key', () => {
  it('keeps the platform id and `duplicate` a later result gives', async () => {
    const o = await deliverOne([
      result('accepted'),
      result('accepted', { platformId: 'P-2', duplicate: true }),
    ]);
    expect(o).toMatchObject({ state: 'accepted', platformId: 'P-2', receipt: { duplicate: true } });
  });

  it('keeps the errors of every rejection, each once', async () => {
    const o = await deliverOne([
      result('rejected', { errors: ['zzbh: 重复'] }),
      result('rejected', { errors: ['zzbh: 重复', 'yxqjzrq: 早于 yxqqsrq'] }),
    ]);
    expect(o).toMatchObject({ state: 'rejected', reasons: ['zzbh: 重复', 'yxqjzrq: 早于 yxqqsrq'] });
  });

  it('two platform ids for one key: neither, a retryable failure saying so', async () => {
    const o = await deliverOne([
      result('accepted', { platformId: 'P-1' }),
      result('accepted', { platformId: 'P-9' }),
    ]);
    expect(o).toMatchObject({
      state: 'failed',
      retryable: true,
      reasons: ['service answered 2 results for this key that name 2 different platform ids'],
    });
  });
});
