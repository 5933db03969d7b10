/**
 * A license value holding a character XML 1.0 cannot carry at all (§2.2 `Char`: the C0 controls but
 * tab, LF and CR, a lone surrogate, U+FFFE/U+FFFF) — a vertical tab or a U+0001 pasted from a
 * spreadsheet into an address — was written into the envelope as it was. Every XML 1.0 service
 * (.NET, Java, and now the city simulator) refuses such a document whole with a `Client` fault: the
 * request was retried and dead-lettered with every license batched beside that one, none of
 * them at fault. That license is now rejected alone, its reason naming the field and the code
 * point (never the value), and the others are delivered. Values XML carries — `]]>`, a character
 * outside the BMP (𠮷) — reach the service unchanged.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SoapXmlTarget } from '../../adapters/platforms/soap-xml/soap-xml-target.js';
import {
  type CitySoapSimulator,
  startCitySoapSimulator,
} from '../../adapters/simulators/city-soap/city-soap-simulator.js';
import { deliveryItem, HOLDER_ID, sampleLicense } from './license-fixture.js';

let sim: CitySoapSimulator;
let target: SoapXmlTarget;
beforeAll(async () => {
  sim = await startCitySoapSimulator();
  target = new SoapXmlTarget('city', {
    kind: 'soap-xml',
    url: sim.url,
    batchSize: 50,
    timeoutMs: 2000,
    concurrency: 1,
    attempts: 1,
  });
});
afterAll(async () => {
  await target?.close();
  await sim?.close();
});

/** The holder's name is a field of its own in the record (the face fields travel as JSON text). */
function withHolderName(n: number, name: string) {
  const base = sampleLicense(n);
  return deliveryItem(n, { target: 'city', license: { ...base, holder: { ...base.holder, name } } });
}

describe('a SOAP record with characters XML 1.0 cannot carry', () => {
  it('is rejected alone, and the licenses beside it are delivered', async () => {
    const outcomes = await target.deliver([
      withHolderName(1, `欧阳\u0001秀英 ${HOLDER_ID}`),
      deliveryItem(2, { target: 'city' }),
    ]);
    expect(outcomes.map((o) => o.state)).toEqual(['rejected', 'accepted']);
    const [reason = ''] = outcomes[0]?.reasons ?? [];
    expect(reason).toMatch(/U\+0001/);
    expect(reason).not.toContain(HOLDER_ID);
    expect(reason).not.toContain('秀英');
  });

  it('a lone surrogate is rejected too, not sent as U+FFFD', async () => {
    const [o] = await target.deliver([withHolderName(3, '欧阳\uD842秀英')]);
    expect(o).toMatchObject({ state: 'rejected' });
    expect(o?.reasons?.[0]).toMatch(/U\+D842/);
  });

  it('a U+FFFF in a face field, sent as JSON text, is rejected too', async () => {
    const base = sampleLicense(5);
    const surface = { ...base.surface, address: '黄岛区\uFFFF长江中路1号' };
    const [o] = await target.deliver([deliveryItem(5, { target: 'city', license: { ...base, surface } })]);
    expect(o).toMatchObject({ state: 'rejected' });
    expect(o?.reasons?.[0]).toMatch(/field zmxx holds U\+FFFF/);
  });

  it(']]>, markup and characters outside the BMP arrive unchanged', async () => {
    const name = '𠮷野家 <b>]]></b> & "欧阳"\t秀英';
    const [o] = await target.deliver([withHolderName(4, name)]);
    expect(o).toMatchObject({ state: 'accepted' });
    const stored = sim.licenses().flatMap((l) => Object.values(l.license));
    expect(stored).toContain(name);
  });
});
