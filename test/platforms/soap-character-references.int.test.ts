/**
 * SOAP services that write their answers in ASCII (Axis 1, .NET writers set to US-ASCII) send
 * every Chinese character as a numeric character reference (`&#35777;`). XML defines those: the
 * text the service means is the decoded one. Kept as references, a rejection's reason is unreadable
 * to the operator and slips past the masking of the holder's name and ID number, which the deliver
 * stage looks for in their plain form (pipelines/stages/deliver.ts, `withSafeReasons`).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { personalValuesOf, scrubPlatformReason } from '../../adapters/platforms/shared/platform-text.js';
import { deliveryItem, HOLDER_ID, HOLDER_NAME } from './license-fixture.js';
import { startScriptedServer } from './scripted-server.js';
import { soapTarget } from './soap-stand-in.js';

const closers: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const c of closers.splice(0).reverse()) await c();
});

/** Every character outside ASCII as a decimal reference, every digit as a hexadecimal one. */
const asReferences = (text: string): string =>
  [...text]
    .map((c) => {
      const cp = c.codePointAt(0) ?? 0;
      if (/[0-9]/.test(c)) return `&#x${cp.toString(16)};`;
      return cp > 0x7f ? `&#${cp};` : c;
    })
    .join('');

describe('a SOAP answer written with numeric character references', () => {
  it('is read as the text it stands for, so the reason is readable and the holder is masked', async () => {
    const reason = `持有人 ${HOLDER_NAME} 证件号码 ${HOLDER_ID} 校验失败`;
    const item = deliveryItem(1, { target: 'city' });
    const server = await startScriptedServer(() => ({
      status: 200,
      headers: { 'content-type': 'text/xml; charset=us-ascii' },
      body:
        '<?xml version="1.0" encoding="US-ASCII"?>' +
        '<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body>' +
        '<ns2:SubmitLicensesResponse xmlns:ns2="http://exchange.city.gov.cn/license"><ns2:result>' +
        `<ns2:key>${item.key}</ns2:key><ns2:status>rejected</ns2:status>` +
        `<ns2:error>${asReferences(reason)}</ns2:error>` +
        '</ns2:result></ns2:SubmitLicensesResponse></soap:Body></soap:Envelope>',
    }));
    closers.push(() => server.close());
    const target = soapTarget(server.url);
    closers.push(() => target.close());

    const [outcome] = await target.deliver([item]);
    expect(outcome).toMatchObject({ key: item.key, state: 'rejected', reasons: [reason] });

    // What the deliver stage keeps of it for the dead letter.
    const kept = scrubPlatformReason(outcome?.reasons?.[0] ?? '', personalValuesOf(item.license));
    expect(kept).toContain('校验失败');
    expect(kept).not.toContain(HOLDER_NAME);
    expect(kept).not.toContain(HOLDER_ID);
    expect(kept).not.toContain('&#');
  });
});
