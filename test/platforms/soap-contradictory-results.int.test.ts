/**
 * A SOAP answer holding two results for one key that disagree (`rejected`, then `accepted`): the
 * last one read was taken, so the delivery was recorded accepted on an answer that also refused it
 * — or, the other way round, dead-lettered on one that also accepted it. Neither can be told from
 * the answer: the delivery fails, retryable, and the next try asks the service (`QueryStatus`)
 * before anything is sent again. Results that repeat the same status are one answer.
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

async function answering(results: (key: string) => SoapResult[]) {
  server = await soapServiceAnswering((keys) => results(keys[0] ?? ''));
  return soapTarget(server.url, { batchSize: 10 });
}

const result = (key: string, status: string, errors: string[] = []): SoapResult => ({
  key,
  status,
  platformId: status === 'accepted' ? 'P-1' : null,
  errors,
  duplicate: false,
});

describe('two results for one key', () => {
  for (const [name, order] of [
    ['rejected, then accepted', ['rejected', 'accepted']],
    ['accepted, then rejected', ['accepted', 'rejected']],
  ] as const) {
    it(`${name}: neither, a retryable failure saying so`, async () => {
      const target = await answering((key) =>
        order.map((s) => result(key, s, s === 'rejected' ? ['zzbh: 重复'] : [])),
      );
      try {
        const [o] = await target.deliver([deliveryItem(1, { target: 'city' })]);
        expect(o).toMatchObject({
          state: 'failed',
          retryable: true,
          reasons: [
            `service answered ${order.length} results for this key that disagree (${order.join(', ')})`,
          ],
        });
      } finally {
        await target.close();
      }
    });
  }

  it('the same status twice is one answer', async () => {
    const target = await answering((key) => [result(key, 'accepted'), result(key, 'accepted')]);
    try {
      const [o] = await target.deliver([deliveryItem(2, { target: 'city' })]);
      expect(o).toMatchObject({ state: 'accepted', platformId: 'P-1' });
    } finally {
      await target.close();
    }
  });
});
