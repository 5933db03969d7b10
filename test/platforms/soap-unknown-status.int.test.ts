/**
 * A SOAP service answering a record with a status licbridge does not know (`ACCEPTED`, `pending`,
 * `处理中`): the delivery is retried and, once its attempts are spent, dead-lettered with that
 * reason — which said only "service answered with an unknown status", not which one, so nobody
 * could tell a service's new status from a typo without a packet capture. The status is named when
 * it is a short machine token; free text stays out (services echo the record into it).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { resultsEnvelope } from '../../adapters/platforms/soap-xml/envelope.js';
import { SoapXmlTarget } from '../../adapters/platforms/soap-xml/soap-xml-target.js';
import { deliveryItem, HOLDER_NAME } from './license-fixture.js';
import { type ScriptedServer, startScriptedServer } from './scripted-server.js';

const NS = 'http://exchange.city.gov.cn/license';

let server: ScriptedServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function answering(status: string) {
  server = await startScriptedServer((_n, req) => {
    const key = /<lic:key>([^<]+)<\/lic:key>/.exec(req.body)?.[1] ?? '';
    return {
      status: 200,
      headers: { 'content-type': 'text/xml; charset=utf-8' },
      body: resultsEnvelope(
        [{ key, status, platformId: null, errors: [], duplicate: false }],
        NS,
        'SubmitLicenses',
      ),
    };
  });
  return new SoapXmlTarget('city', {
    kind: 'soap-xml',
    url: server.url,
    batchSize: 10,
    timeoutMs: 2000,
    concurrency: 1,
    attempts: 1,
  } as never);
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
