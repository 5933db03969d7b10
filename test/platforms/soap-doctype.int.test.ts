/**
 * A SOAP message holds no document type declaration (SOAP 1.1 §3 "MUST NOT"; SOAP 1.2 Part 1 §5),
 * and the stacks city services run on refuse one (.NET's `DtdProcessing.Prohibit`, JAX-WS's
 * "DOCTYPE is disallowed"): it is where entity expansion and external entities come in. An answer
 * with one was read as results when the body used none of what it declared — an acceptance taken
 * from a document no SOAP service writes, past a declaration the parser had read. Such an answer
 * is unreadable, the request retried with `QueryStatus` asked first, as a cut-off one is
 * (soap-cut-answer.int.test.ts); an entity it declares was already never expanded
 * (soap-xml-references.int.test.ts).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { parseEnvelope, resultsEnvelope } from '../../adapters/platforms/soap-xml/envelope.js';
import { ErrorCodes, type LicbridgeError } from '../../core/errors.js';
import { deliveryItem } from './license-fixture.js';
import { type ScriptedServer, startScriptedServer } from './scripted-server.js';
import { soapTarget } from './soap-stand-in.js';

let server: ScriptedServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const NS = 'http://exchange.city.gov.cn/license';
const DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>';

/** A service accepting every key, its answer's prolog (after the XML declaration) `prolog`. */
async function outcomeWith(prolog: string) {
  server = await startScriptedServer((_n, req) => {
    const key = /<lic:key>([^<]+)<\/lic:key>/.exec(req.body)?.[1] ?? '';
    const answer = resultsEnvelope(
      [{ key, status: 'accepted', platformId: 'C-1', errors: [], duplicate: false }],
      NS,
      'SubmitLicenses',
    );
    return {
      status: 200,
      headers: { 'content-type': 'text/xml; charset=utf-8' },
      body: answer.replace(DECLARATION, DECLARATION + prolog),
    };
  });
  const target = soapTarget(server.url);
  try {
    return await target.deliver([deliveryItem(1, { target: 'city' })]);
  } finally {
    await target.close();
  }
}

async function expectUnsure(delivering: Promise<unknown>): Promise<void> {
  const err = (await delivering.then(
    (outcomes) => expect.fail(`read as an answer: ${JSON.stringify(outcomes)}`),
    (e: unknown) => e,
  )) as LicbridgeError;
  expect(err).toMatchObject({ code: ErrorCodes.TARGET_UNREACHABLE, retryable: true });
  expect(err.context.unsure).toBe(true);
}

describe('a SOAP answer with a DOCTYPE', () => {
  it('is read as usual without one, a comment before its root or not', async () => {
    expect(await outcomeWith('<!-- served by the exchange -->')).toMatchObject([
      { state: 'accepted', platformId: 'C-1' },
    ]);
  });

  it.each([
    ['a bare DOCTYPE', '<!DOCTYPE soap:Envelope>'],
    ['an external one', '<!DOCTYPE soap:Envelope SYSTEM "http://127.0.0.1:9/soap.dtd">'],
    ['entities nested ten deep, none used', nestedEntities(10)],
    ['one after a comment', '<!-- x --><!DOCTYPE soap:Envelope []>'],
  ])('is unreadable: %s', async (_name, doctype) => {
    await expectUnsure(outcomeWith(doctype));
  });

  it('is no request the city simulator reads either', () => {
    const request = `${DECLARATION}<!DOCTYPE soap:Envelope []><soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body><lic:QueryStatus xmlns:lic="${NS}"><lic:keys><lic:key>k</lic:key></lic:keys></lic:QueryStatus></soap:Body></soap:Envelope>`;
    expect(parseEnvelope(request)).toEqual({ kind: 'unknown' });
    expect(parseEnvelope(request.replace('<!DOCTYPE soap:Envelope []>', ''))).toMatchObject({
      kind: 'status',
      keys: ['k'],
    });
  });
});

/** The "billion laughs" declarations: each entity ten of the one before. */
function nestedEntities(depth: number): string {
  const decls = ['<!ENTITY e0 "lol">'];
  for (let i = 1; i < depth; i++) decls.push(`<!ENTITY e${i} "${`&e${i - 1};`.repeat(10)}">`);
  return `<!DOCTYPE soap:Envelope [${decls.join('')}]>`;
}
