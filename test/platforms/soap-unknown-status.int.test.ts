/**
 * A SOAP service answering a record with a status licbridge does not know (`pending-review`,
 * `in-review`, `处理中`): the delivery is retried and, once its attempts are spent, dead-lettered with that
 * reason — which said only "service answered with an unknown status", not which one, so nobody
 * could tell a service's new status from a typo without a packet capture. The status is named when
 * it is a short machine token; free text stays out (services echo the record into it).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { deliveryItem, HOLDER_NAME } from './license-fixture.js';
import type { ScriptedServer } from './scripted-server.js';
import { soapServiceAnswering, soapTarget } from './soap-stand-in.js';

let server: ScriptedServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function answering(status: string) {
  server = await soapServiceAnswering(([key = '']) => [
    { key, status, platformId: null, errors: [], duplicate: false },
  ]);
  return soapTarget(server.url, { batchSize: 10 });
}

describe('a SOAP result with a status licbridge does not know', () => {
  it('is a retryable failure naming the status', async () => {
    const target = await answering('pending-review');
    try {
      const [o] = await target.deliver([deliveryItem(1, { target: 'city' })]);
      expect(o).toMatchObject({
        state: 'failed',
        retryable: true,
        reasons: ['service answered with an unknown status `pending-review`'],
      });
    } finally {
      await target.close();
    }
  });

  it('free text as the status is not repeated', async () => {
    const target = await answering(`${HOLDER_NAME} 处理中`);
    try {
      const [o] = await target.deliver([deliveryItem(2, { target: 'city' })]);
      expect(o).toMatchObject({ state: 'failed', reasons: ['service answered with an unknown status'] });
    } finally {
      await target.close();
    }
  });
});
