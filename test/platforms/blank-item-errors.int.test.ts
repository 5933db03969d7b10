/**
 * A rejection whose errors are blank — a SOAP service writing an empty `<error/>` (a schema binding
 * writing a null reason), a REST/JSON platform answering `"errors": [""]` or `[null]` — was
 * dead-lettered with the reason `` (nothing for the operator to go on) or `null`, as if the
 * platform had said so. Blank errors say nothing: such a rejection reads `rejected without a
 * reason`, as one without errors does, and an error that says something is kept beside them.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { RestJsonTarget } from '../../adapters/platforms/rest-json/rest-json-target.js';
import { deliveryItem, restConfig } from './license-fixture.js';
import { type ScriptedServer, startScriptedServer } from './scripted-server.js';
import { soapTarget } from './soap-stand-in.js';

const closers: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const c of closers.splice(0).reverse()) await c();
});

async function soapRejected(errors: string) {
  const server: ScriptedServer = await startScriptedServer((_n, req) => {
    const key = /<lic:key>([^<]+)<\/lic:key>/.exec(req.body)?.[1] ?? '';
    return {
      status: 200,
      headers: { 'content-type': 'text/xml; charset=utf-8' },
      body:
        '<?xml version="1.0" encoding="UTF-8"?>' +
        '<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body>' +
        '<ns2:SubmitLicensesResponse xmlns:ns2="http://exchange.city.gov.cn/license"><ns2:result>' +
        `<ns2:key>${key}</ns2:key><ns2:status>rejected</ns2:status>${errors}` +
        '</ns2:result></ns2:SubmitLicensesResponse></soap:Body></soap:Envelope>',
    };
  });
  closers.push(() => server.close());
  const target = soapTarget(server.url);
  closers.push(() => target.close());
  const [o] = await target.deliver([deliveryItem(1, { target: 'city' })]);
  return o;
}

async function restRejected(errors: unknown) {
  const server = await startScriptedServer((_n, req) => {
    const doc = JSON.parse(req.body) as { items?: { key: string }[] };
    const results = (doc.items ?? []).map((i) => ({ key: i.key, status: 'rejected', errors }));
    return { status: 200, body: { code: 0, results } };
  });
  closers.push(() => server.close());
  const target = new RestJsonTarget('province', restConfig(server.url, { timeoutMs: 2000, attempts: 1 }));
  closers.push(() => target.close());
  const [o] = await target.deliver([deliveryItem(1)]);
  return o;
}

describe('a rejection with blank errors', () => {
  it.each(['<ns2:error/>', '<ns2:error>  </ns2:error>', '<ns2:error/><ns2:error></ns2:error>'])(
    'SOAP %s reads rejected without a reason',
    async (errors) => {
      expect(await soapRejected(errors)).toMatchObject({
        state: 'rejected',
        reasons: ['rejected without a reason'],
      });
    },
  );

  it('SOAP: a blank error beside one that says something keeps only that one', async () => {
    expect(await soapRejected('<ns2:error/><ns2:error>E01 czzt</ns2:error>')).toMatchObject({
      state: 'rejected',
      reasons: ['E01 czzt'],
    });
  });

  it.each([[['']], [[null]], [[' ', null]], [''], [null]])(
    'REST/JSON %j reads rejected without a reason',
    async (errors) => {
      expect(await restRejected(errors)).toMatchObject({
        state: 'rejected',
        reasons: ['rejected without a reason'],
      });
    },
  );

  it('REST/JSON: a blank error beside one that says something keeps only that one', async () => {
    expect(await restRejected(['', { field: 'czzt', message: 'E01' }])).toMatchObject({
      state: 'rejected',
      reasons: ['{"field":"czzt","message":"E01"}'],
    });
  });
});
