/**
 * Platforms list a refused record's errors as objects as often as strings
 * (`{ "field": "czztdm", "message": "证件号码校验失败" }`, `<error><field>…</field><message>…</message></error>`).
 * The dead letter's reasons are what tells the operator what to fix: they keep the error's text,
 * never `[object Object]`.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { RestJsonTarget } from '../../adapters/platforms/rest-json/rest-json-target.js';
import { deliveryItem, restConfig } from './license-fixture.js';
import { startScriptedServer } from './scripted-server.js';
import { soapTarget } from './soap-stand-in.js';

const closers: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const c of closers.splice(0).reverse()) await c();
});

describe('per-record errors given as objects', () => {
  it('REST/JSON: each reason keeps the field and the message', async () => {
    const item = deliveryItem(1);
    const server = await startScriptedServer(() => ({
      status: 200,
      body: {
        code: 0,
        results: [
          {
            key: item.key,
            status: 'rejected',
            errors: [{ field: 'zzbh', message: '证照编号重复' }, 'yxqjzrq: 早于 yxqqsrq'],
          },
        ],
      },
    }));
    closers.push(() => server.close());
    const target = new RestJsonTarget('province', restConfig(server.url, { timeoutMs: 2000 }));
    closers.push(() => target.close());
    const [outcome] = await target.deliver([item]);
    expect(outcome?.state).toBe('rejected');
    expect(outcome?.reasons?.[0]).toContain('zzbh');
    expect(outcome?.reasons?.[0]).toContain('证照编号重复');
    expect(outcome?.reasons?.[1]).toBe('yxqjzrq: 早于 yxqqsrq');
    expect(outcome?.reasons?.join(' ')).not.toContain('[object Object]');
  });

  it('REST/JSON: a single error given as a string instead of a list is kept', async () => {
    const item = deliveryItem(1);
    const server = await startScriptedServer(() => ({
      status: 200,
      body: { code: 0, results: [{ key: item.key, status: 'rejected', errors: 'zzbh: 证照编号重复' }] },
    }));
    closers.push(() => server.close());
    const target = new RestJsonTarget('province', restConfig(server.url, { timeoutMs: 2000 }));
    closers.push(() => target.close());
    const [outcome] = await target.deliver([item]);
    expect(outcome).toMatchObject({ state: 'rejected', reasons: ['zzbh: 证照编号重复'] });
  });

  it('SOAP/XML: an error element with children keeps their text', async () => {
    const item = deliveryItem(1, { target: 'city' });
    const server = await startScriptedServer(() => ({
      status: 200,
      headers: { 'content-type': 'text/xml; charset=utf-8' },
      body:
        '<?xml version="1.0" encoding="UTF-8"?>' +
        '<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body>' +
        '<lic:SubmitLicensesResponse xmlns:lic="http://exchange.city.gov.cn/license"><lic:result>' +
        `<lic:key>${item.key}</lic:key><lic:status>rejected</lic:status>` +
        '<lic:error><lic:field>zzbh</lic:field><lic:message>证照编号重复</lic:message></lic:error>' +
        '<lic:error>yxqjzrq: 早于 yxqqsrq</lic:error>' +
        '</lic:result></lic:SubmitLicensesResponse></soap:Body></soap:Envelope>',
    }));
    closers.push(() => server.close());
    const target = soapTarget(server.url);
    closers.push(() => target.close());
    const [outcome] = await target.deliver([item]);
    expect(outcome?.state).toBe('rejected');
    expect(outcome?.reasons?.[0]).toContain('zzbh');
    expect(outcome?.reasons?.[0]).toContain('证照编号重复');
    expect(outcome?.reasons?.[1]).toBe('yxqjzrq: 早于 yxqqsrq');
    expect(outcome?.reasons?.join(' ')).not.toContain('[object Object]');
  });
});
