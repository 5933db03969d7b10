/**
 * A WCF SOAP service (or an ASP.NET REST one) can be set to answer in UTF-16, saying so with a byte
 * order mark, with `charset=utf-16`/`utf-16le`/`utf-16be`, or both. Read as UTF-8, such an answer
 * was never readable: every delivery retried and finally dead-lettered.
 */
import { describe, expect, it } from 'vitest';
import { RestJsonTarget } from '../../adapters/platforms/rest-json/rest-json-target.js';
import { fixedAnswers } from './fixed-answers.js';
import { deliveryItem, restConfig } from './license-fixture.js';

const { closers, answering, soapOutcome } = fixedAnswers();

const REASON = '证照编号格式不正确（应为十八位）';
const BOM = '\uFEFF';

/** `text` in UTF-16, little- or big-endian (a leading U+FEFF becomes the byte order mark). */
function utf16(text: string, order: 'le' | 'be'): Buffer {
  const le = Buffer.from(text, 'utf16le');
  return order === 'le' ? le : le.swap16();
}

function soapRejection(key: string): string {
  return (
    '<?xml version="1.0" encoding="utf-16"?>' +
    '<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body>' +
    '<lic:SubmitLicensesResponse xmlns:lic="http://exchange.city.gov.cn/license"><lic:result>' +
    `<lic:key>${key}</lic:key><lic:status>rejected</lic:status><lic:error>${REASON}</lic:error>` +
    '</lic:result></lic:SubmitLicensesResponse></soap:Body></soap:Envelope>'
  );
}

async function restOutcome(contentType: string, text: string, order: 'le' | 'be') {
  const item = deliveryItem(1);
  const body = JSON.stringify({
    code: 0,
    results: [{ key: item.key, status: 'rejected', errors: [REASON] }],
  });
  const url = await answering(contentType, utf16(text.replace('%BODY%', body), order));
  const target = new RestJsonTarget('province', restConfig(url, { timeoutMs: 2000 }));
  closers.push(() => target.close());
  const [outcome] = await target.deliver([item]);
  return outcome;
}

describe('answers in UTF-16', () => {
  const key = deliveryItem(1, { target: 'city' }).key;

  it.each([
    ['text/xml; charset=utf-16', BOM, 'le'],
    ['text/xml; charset=utf-16', BOM, 'be'],
    ['text/xml', BOM, 'le'],
    ['text/xml', BOM, 'be'],
    ['text/xml; charset=utf-8', BOM, 'le'], // the mark outweighs a wrong label (WHATWG decode)
    ['text/xml; charset=utf-16le', '', 'le'],
    ['text/xml; charset="UTF-16BE"', '', 'be'],
    ['text/xml; charset=utf-16', '', 'le'], // .NET's "utf-16" without a mark: little-endian
    ['text/xml; charset=utf-16', '', 'be'],
  ] as const)('SOAP, %s, mark %j, %s: the rejection and its reason read', async (type, mark, order) => {
    const url = await answering(type, utf16(mark + soapRejection(key), order));
    expect(await soapOutcome(url)).toMatchObject({ state: 'rejected', reasons: [REASON] });
  });

  it('REST/JSON in UTF-16LE with a byte order mark', async () => {
    expect(await restOutcome('application/json; charset=utf-16le', `${BOM}%BODY%`, 'le')).toMatchObject({
      state: 'rejected',
      reasons: [REASON],
    });
  });

  it('REST/JSON in UTF-16LE with a byte order mark and no charset', async () => {
    expect(await restOutcome('application/json', `${BOM}%BODY%`, 'le')).toMatchObject({
      state: 'rejected',
      reasons: [REASON],
    });
  });

  it('REST/JSON in UTF-16LE named only by charset=utf-16le', async () => {
    expect(await restOutcome('application/json; charset=utf-16le', '%BODY%', 'le')).toMatchObject({
      state: 'rejected',
      reasons: [REASON],
    });
  });

  it('REST/JSON in UTF-16BE named only by charset=utf-16be', async () => {
    expect(await restOutcome('application/json;charset=UTF-16BE', '%BODY%', 'be')).toMatchObject({
      state: 'rejected',
      reasons: [REASON],
    });
  });

  it('REST/JSON in UTF-8 with a byte order mark reads as before', async () => {
    const item = deliveryItem(1);
    const body = JSON.stringify({
      code: 0,
      results: [{ key: item.key, status: 'rejected', errors: [REASON] }],
    });
    const url = await answering('application/json', Buffer.from(BOM + body, 'utf8'));
    const target = new RestJsonTarget('province', restConfig(url, { timeoutMs: 2000 }));
    closers.push(() => target.close());
    expect(await target.deliver([item])).toMatchObject([{ state: 'rejected', reasons: [REASON] }]);
  });
});
