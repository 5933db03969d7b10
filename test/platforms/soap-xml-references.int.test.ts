/**
 * A city service's answer is XML (XML 1.0 §4.1, §4.6): it may hold the five predefined entities and
 * numeric character references (`&#x2F;`, `&#47;`), which stand for their characters, and nothing
 * else. The answer was read with fast-xml-parser's HTML entities, so `&nbsp;` or `&copy;` in a
 * platform id was taken as a character (a no-break space inside the id recorded for the license),
 * a reference to a character XML forbids (`&#0;`) was dropped from a key, and an entity the
 * answer's own DOCTYPE declared (SOAP 1.1 §3: a SOAP message holds none) was expanded into a status.
 * A conforming reader refuses each as not well-formed: such an answer is unreadable, the request
 * retried with `QueryStatus` asked first, as a cut-off one is (soap-cut-answer.int.test.ts).
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

/** A service answering every submit with one result for the first key, its inner XML `result(key)`. */
async function serviceAnswering(result: (key: string) => string, doctype = '') {
  server = await startScriptedServer((_n, req) => {
    const key = /<lic:key>([^<]+)<\/lic:key>/.exec(req.body)?.[1] ?? '';
    return {
      status: 200,
      headers: { 'content-type': 'text/xml; charset=utf-8' },
      body:
        `<?xml version="1.0" encoding="UTF-8"?>${doctype}` +
        '<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body>' +
        '<ns2:SubmitLicensesResponse xmlns:ns2="http://exchange.city.gov.cn/license">' +
        `<ns2:result>${result(key)}</ns2:result></ns2:SubmitLicensesResponse></soap:Body></soap:Envelope>`,
    };
  });
  return soapTarget(server.url);
}

async function expectUnsure(delivering: Promise<unknown>): Promise<void> {
  const err = (await delivering.then(
    (outcomes) => expect.fail(`read as an answer: ${JSON.stringify(outcomes)}`),
    (e: unknown) => e,
  )) as LicbridgeError;
  expect(err).toMatchObject({ code: ErrorCodes.TARGET_UNREACHABLE, retryable: true });
  expect(err.context.unsure).toBe(true);
}

describe('character references in a SOAP answer', () => {
  it('numeric ones, hexadecimal and decimal, stand for their characters; the predefined once', async () => {
    const target = await serviceAnswering(
      (key) =>
        `<ns2:key>${key}</ns2:key><ns2:status>&#x61;ccepted</ns2:status>` +
        '<ns2:platformId>CITY&#x2F;2024&#47;&#x1F600;&amp;#x41;</ns2:platformId>',
    );
    try {
      const [outcome] = await target.deliver([deliveryItem(1, { target: 'city' })]);
      expect(outcome).toMatchObject({ state: 'accepted', platformId: 'CITY/2024/😀&#x41;' });
    } finally {
      await target.close();
    }
  });

  it('&nbsp; in a platform id makes the answer unreadable, not an id with a no-break space', async () => {
    const target = await serviceAnswering(
      (key) =>
        `<ns2:key>${key}</ns2:key><ns2:status>accepted</ns2:status><ns2:platformId>CITY&nbsp;0001</ns2:platformId>`,
    );
    try {
      await expectUnsure(target.deliver([deliveryItem(2, { target: 'city' })]));
    } finally {
      await target.close();
    }
  });

  it('&copy; in a reason makes the answer unreadable', async () => {
    const target = await serviceAnswering(
      (key) => `<ns2:key>${key}</ns2:key><ns2:status>rejected</ns2:status><ns2:error>E01 &copy;</ns2:error>`,
    );
    try {
      await expectUnsure(target.deliver([deliveryItem(3, { target: 'city' })]));
    } finally {
      await target.close();
    }
  });

  it('a reference to a character XML forbids makes the answer unreadable, not a key without it', async () => {
    const target = await serviceAnswering(
      (key) => `<ns2:key>${key.slice(0, 2)}&#0;${key.slice(2)}</ns2:key><ns2:status>accepted</ns2:status>`,
    );
    try {
      await expectUnsure(target.deliver([deliveryItem(4, { target: 'city' })]));
    } finally {
      await target.close();
    }
  });

  it('an entity the answer’s DOCTYPE declares is not expanded into a status', async () => {
    const target = await serviceAnswering(
      (key) => `<ns2:key>${key}</ns2:key><ns2:status>&ok;</ns2:status>`,
      '<!DOCTYPE soap:Envelope [<!ENTITY ok "accepted">]>',
    );
    try {
      await expectUnsure(target.deliver([deliveryItem(5, { target: 'city' })]));
    } finally {
      await target.close();
    }
  });
});
