/**
 * Older city and province services answer in GBK, saying so in `Content-Type` (`charset=GBK`) or
 * only in the XML declaration (`<?xml … encoding="GBK"?>`). Read as UTF-8, every Chinese
 * character of a rejection's reason becomes U+FFFD: the dead letter tells the operator nothing,
 * and the holder's name can no longer be found to be masked.
 */
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { RestJsonTarget } from '../../adapters/platforms/rest-json/rest-json-target.js';
import { fixedAnswers } from './fixed-answers.js';
import { deliveryItem, restConfig } from './license-fixture.js';

const { closers, answering, soapOutcome } = fixedAnswers();

const REASON = '证照编号格式不正确（应为十八位）';

function soapRejection(key: string, declared: string): string {
  return (
    `<?xml version="1.0" encoding="${declared}"?>` +
    '<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body>' +
    '<lic:SubmitLicensesResponse xmlns:lic="http://exchange.city.gov.cn/license"><lic:result>' +
    `<lic:key>${key}</lic:key><lic:status>rejected</lic:status><lic:error>${REASON}</lic:error>` +
    '</lic:result></lic:SubmitLicensesResponse></soap:Body></soap:Envelope>'
  );
}

describe('answers in GBK', () => {
  const key = deliveryItem(1, { target: 'city' }).key;

  it('SOAP, charset in Content-Type: the reason reads as the service wrote it', async () => {
    const url = await answering('text/xml; charset=GBK', iconv.encode(soapRejection(key, 'GBK'), 'gbk'));
    expect(await soapOutcome(url)).toMatchObject({ state: 'rejected', reasons: [REASON] });
  });

  it('SOAP, encoding named only by the XML declaration: read as declared', async () => {
    const url = await answering('text/xml', iconv.encode(soapRejection(key, 'gb2312'), 'gbk'));
    expect(await soapOutcome(url)).toMatchObject({ state: 'rejected', reasons: [REASON] });
  });

  // Labels are compared by their letters and digits, as an XML export's are (core/encoding-labels.ts):
  // compared as written, these were read as UTF-8 and every Chinese character became U+FFFD.
  it.each(['GB-2312', 'gb_18030', 'CP-936', 'MS936', 'x-mswin-936'])(
    'SOAP, charset=%s in Content-Type: read as GB 18030',
    async (label) => {
      const url = await answering(
        `text/xml; charset=${label}`,
        iconv.encode(soapRejection(key, 'GBK'), 'gbk'),
      );
      expect(await soapOutcome(url)).toMatchObject({ state: 'rejected', reasons: [REASON] });
    },
  );

  it('SOAP, encoding="GB_2312" only in the XML declaration: read as GB 18030', async () => {
    const url = await answering('text/xml', iconv.encode(soapRejection(key, 'GB_2312'), 'gbk'));
    expect(await soapOutcome(url)).toMatchObject({ state: 'rejected', reasons: [REASON] });
  });

  it('SOAP in UTF-8 stays as it was', async () => {
    const url = await answering('text/xml; charset=utf-8', Buffer.from(soapRejection(key, 'UTF-8'), 'utf8'));
    expect(await soapOutcome(url)).toMatchObject({ state: 'rejected', reasons: [REASON] });
  });

  it('UTF-8 bytes under a charset=ISO-8859-1 header (a common Java default) stay UTF-8', async () => {
    const url = await answering(
      'text/xml; charset=ISO-8859-1',
      Buffer.from(soapRejection(key, 'UTF-8'), 'utf8'),
    );
    expect(await soapOutcome(url)).toMatchObject({ state: 'rejected', reasons: [REASON] });
  });

  it('UTF-8 bytes under a charset=GBK header (a gateway default) stay UTF-8, as before', async () => {
    const url = await answering('text/xml; charset=GBK', Buffer.from(soapRejection(key, 'UTF-8'), 'utf8'));
    expect(await soapOutcome(url)).toMatchObject({ state: 'rejected', reasons: [REASON] });
  });

  it('REST/JSON with charset=GBK: the reason reads as the platform wrote it', async () => {
    const item = deliveryItem(1);
    const body = JSON.stringify({
      code: 0,
      results: [{ key: item.key, status: 'rejected', errors: [REASON] }],
    });
    const url = await answering('application/json;charset=GBK', iconv.encode(body, 'gbk'));
    const target = new RestJsonTarget('province', restConfig(url, { timeoutMs: 2000 }));
    closers.push(() => target.close());
    const [outcome] = await target.deliver([item]);
    expect(outcome).toMatchObject({ state: 'rejected', reasons: [REASON] });
  });
});
