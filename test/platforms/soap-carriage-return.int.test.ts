/**
 * XML 1.0 §2.11: a parser turns every CR LF and every lone CR of the text it reads into LF. A
 * license value holding a carriage return (text pasted from a Windows form keeps its CR LF; the
 * input checks let CR, LF and tab through) reached a SOAP service as another value than the one
 * signed. Written as the character reference `&#13;`, it is read back as it was sent.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  newUsernameToken,
  parseEnvelope,
  resultsEnvelope,
  statusEnvelope,
  submitEnvelope,
} from '../../adapters/platforms/soap-xml/envelope.js';
import {
  type CitySoapSimulator,
  startCitySoapSimulator,
} from '../../adapters/simulators/city-soap/city-soap-simulator.js';
import { deliveryItem, sampleLicense } from './license-fixture.js';
import { soapTarget } from './soap-stand-in.js';

describe('a license value holding a carriage return, sent to a SOAP service', () => {
  let sim: CitySoapSimulator;
  beforeAll(async () => {
    sim = await startCitySoapSimulator();
  });
  afterAll(async () => sim?.close());

  it('arrives as it was signed', async () => {
    const license = sampleLicense(1, {
      holder: { name: '青岛某某食品有限公司\r\n黄岛分公司', idType: '001', id: '91370211MA3C12345X' },
      issuer: { name: '青岛西海岸新区\r市场监督管理局', code: '11370211MB1234567X' },
    });
    const item = deliveryItem(1, { target: 'city', license });
    const target = soapTarget(sim.url);
    try {
      const [outcome] = await target.deliver([item]);
      expect(outcome?.state).toBe('accepted');
    } finally {
      await target.close();
    }
    const held = sim.licenses().find((l) => l.key === item.key);
    expect(held?.license.czzt).toBe('青岛某某食品有限公司\r\n黄岛分公司');
    expect(held?.license.zzbfjg).toBe('青岛西海岸新区\r市场监督管理局');
  });
});

describe('every envelope keeps its text as it was', () => {
  const tricky = ' A&B <公司> "引号" \'单\' ]]> &amp; &#20013; &nbsp; x\r\ny\rz ';

  it('in records, keys, results and the security header', () => {
    const ns = 'http://exchange.city.gov.cn/license?a=1&b=2';
    const token = newUsernameToken('district&<1>', 'pw', Date.UTC(2026, 0, 1));
    const submit = parseEnvelope(
      submitEnvelope(
        [
          {
            key: 'k&1',
            operation: '01',
            license: { czzt: tricky, zmxx: { a: tricky } },
            signature: { algorithm: 'SM2', value: 'ab+/=', digest: 'cd', sealId: 's<1>' },
          },
        ],
        ns,
        token,
      ),
    );
    expect(submit.kind).toBe('submit');
    if (submit.kind !== 'submit') return;
    // The service trims the text it reads (as the simulator does), not licbridge.
    expect(submit.records[0]?.license.czzt).toBe(tricky.trim());
    expect(submit.records[0]?.license.zmxx).toEqual({ a: tricky });
    expect(submit.records[0]?.key).toBe('k&1');
    expect(submit.records[0]?.signature.sealId).toBe('s<1>');
    expect(submit.token?.username).toBe('district&<1>');

    const status = parseEnvelope(statusEnvelope(['k&1', 'k<2>'], ns));
    expect(status).toEqual({ kind: 'status', keys: ['k&1', 'k<2>'] });

    const results = parseEnvelope(
      resultsEnvelope(
        [{ key: 'k&1', status: 'rejected', platformId: 'p<1>', errors: ['a\r\nb & c'], duplicate: false }],
        ns,
        'SubmitLicenses',
      ),
    );
    expect(results).toEqual({
      kind: 'results',
      results: [
        { key: 'k&1', status: 'rejected', platformId: 'p<1>', errors: ['a\r\nb & c'], duplicate: false },
      ],
    });
  });
});
