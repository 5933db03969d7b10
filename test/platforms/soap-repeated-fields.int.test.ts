/**
 * A SOAP `result` holds one `key`, `status`, `platformId` and `duplicate`. A service (or a schema
 * binding writing a list where one value was meant) repeating one of them inside a result had them
 * read by fast-xml-parser as a list and the list turned into text: two platform ids became the id
 * `A,B` recorded for the license (neither the service's), `<duplicate>` written twice was a
 * duplicate only when the first said so, a second key in one result was dropped, and a platform
 * id written as an element (`<platformId><id>…</id></platformId>`) was recorded as
 * `[object Object]`. Repeated fields of a result are read as repeated results of its key are
 * (shared/key-results.ts): two platform ids decide nothing, any `duplicate` says so. A result naming
 * two keys, or a field holding elements, is not the documented envelope: the answer is unreadable.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { ErrorCodes, type LicbridgeError } from '../../core/errors.js';
import { deliveryItem } from './license-fixture.js';
import { type ScriptedServer, startScriptedServer } from './scripted-server.js';
import { soapTarget } from './soap-stand-in.js';

let server: ScriptedServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** The outcome of one license sent to a service answering with one result, its inner XML `result(key)`. */
async function deliverAnswered(result: (key: string) => string) {
  server = await startScriptedServer((_n, req) => {
    const key = /<lic:key>([^<]+)<\/lic:key>/.exec(req.body)?.[1] ?? '';
    return {
      status: 200,
      headers: { 'content-type': 'text/xml; charset=utf-8' },
      body:
        '<?xml version="1.0" encoding="UTF-8"?>' +
        '<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body>' +
        '<ns2:SubmitLicensesResponse xmlns:ns2="http://exchange.city.gov.cn/license">' +
        `<ns2:result>${result(key)}</ns2:result></ns2:SubmitLicensesResponse></soap:Body></soap:Envelope>`,
    };
  });
  const target = soapTarget(server.url);
  try {
    const [outcome] = await target.deliver([deliveryItem(1, { target: 'city' })]);
    return outcome;
  } finally {
    await target.close();
  }
}

async function expectUnsure(delivering: Promise<unknown>): Promise<void> {
  const err = (await delivering.then(
    (outcome) => expect.fail(`read as an answer: ${JSON.stringify(outcome)}`),
    (e: unknown) => e,
  )) as LicbridgeError;
  expect(err).toMatchObject({ code: ErrorCodes.TARGET_UNREACHABLE, retryable: true });
  expect(err.context.unsure).toBe(true);
}

const accepted = (key: string) => `<ns2:key>${key}</ns2:key><ns2:status>accepted</ns2:status>`;

describe('a SOAP result repeating a field', () => {
  it('two platform ids decide nothing, and neither is recorded', async () => {
    const o = await deliverAnswered(
      (key) =>
        `${accepted(key)}<ns2:platformId>CITY-1</ns2:platformId><ns2:platformId>CITY-2</ns2:platformId>`,
    );
    expect(o).toMatchObject({ state: 'failed', retryable: true, failure: 'results-disagree' });
    expect(o?.platformId).toBeUndefined();
  });

  it('one platform id written twice is that id', async () => {
    const o = await deliverAnswered(
      (key) =>
        `${accepted(key)}<ns2:platformId>CITY-1</ns2:platformId><ns2:platformId>CITY-1</ns2:platformId>`,
    );
    expect(o).toMatchObject({ state: 'accepted', platformId: 'CITY-1' });
  });

  it('two statuses that disagree decide nothing', async () => {
    const o = await deliverAnswered(
      (key) => `<ns2:key>${key}</ns2:key><ns2:status>rejected</ns2:status><ns2:status>accepted</ns2:status>`,
    );
    expect(o).toMatchObject({ state: 'failed', retryable: true, failure: 'results-disagree' });
  });

  it('a duplicate said by the second <duplicate> is a duplicate', async () => {
    const o = await deliverAnswered(
      (key) => `${accepted(key)}<ns2:duplicate>false</ns2:duplicate><ns2:duplicate>true</ns2:duplicate>`,
    );
    expect(o).toMatchObject({ state: 'accepted', receipt: { duplicate: true } });
  });

  it('a result naming two keys makes the answer unreadable', async () => {
    await expectUnsure(deliverAnswered((key) => `<ns2:key>other-key</ns2:key>${accepted(key)}`));
    await expectUnsure(
      deliverAnswered((key) => `${accepted(key).replace('</ns2:key>', '</ns2:key><ns2:key>x</ns2:key>')}`),
    );
  });

  it('a platform id holding elements makes the answer unreadable, not the id [object Object]', async () => {
    await expectUnsure(
      deliverAnswered((key) => `${accepted(key)}<ns2:platformId><ns2:id>CITY-1</ns2:id></ns2:platformId>`),
    );
  });
});
