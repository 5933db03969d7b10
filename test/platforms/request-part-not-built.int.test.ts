/**
 * A license whose part of a request cannot be built (a fault of no known kind in the pure mapping
 * of its stored text: a REST/JSON batch item, a SOAP record, an exchange row) failed the whole
 * call unsent and final since 00fd36ba, and the deliver worker then dead-lettered every open
 * delivery of the job for it. It is now that license's own outcome (failed, final, unsent, named,
 * the fault its cause) and the other licenses of the call are sent; a read-back of the exchange
 * table (heldAsSent) holds the others as sent instead of failing for it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FrontDbTarget } from '../../adapters/platforms/front-db/front-db-target.js';
import { RestJsonTarget } from '../../adapters/platforms/rest-json/rest-json-target.js';
import type { DeliveryItem, DeliveryOutcome } from '../../adapters/platforms/target.js';
import { closedAfterEach, strategyFault } from './auth-strategy-fault.js';
import { cityExchangeTable, type FrontDbPlace, frontDbConfig, sqlitePlace } from './front-db-fixtures.js';
import { deliveryItem, HOLDER_ID, HOLDER_NAME, restConfig, sampleLicense } from './license-fixture.js';
import { startScriptedServer } from './scripted-server.js';
import { soapServiceAnswering, soapTarget } from './soap-stand-in.js';

const closers = closedAfterEach();

/** Item `n` whose license's holder cannot be read: the fault's text quotes an ID number. */
function unbuildable(n: number, target: string, fault: Error): DeliveryItem {
  const license = sampleLicense(n);
  Object.defineProperty(license, 'holder', {
    enumerable: true,
    get: () => {
      throw fault;
    },
  });
  return deliveryItem(n, { target, license });
}

/** Three licenses of one call, the middle one's part unbuildable. */
function threeWithMiddleBad(target: string, fault: Error): DeliveryItem[] {
  return [deliveryItem(1, { target }), unbuildable(2, target, fault), deliveryItem(3, { target })];
}

function expectAlone(outcome: DeliveryOutcome | undefined, reason: string, fault: Error): void {
  expect(outcome).toMatchObject({ state: 'failed', retryable: false, unsent: true, reasons: [reason] });
  expect(outcome?.cause).toBe(fault);
  // Its reason, which the ledger keeps, names the license and the request only.
  for (const personal of [HOLDER_NAME, HOLDER_ID, '13912340001'])
    expect(JSON.stringify(outcome?.reasons)).not.toContain(personal);
}

describe("a license whose part of a request cannot be built, among its call's three", () => {
  it('rest-json: it fails alone, final and unsent; the other two are sent once and accepted', async () => {
    const platform = await startScriptedServer((_n, req) => {
      const { items } = JSON.parse(req.body) as { items: { key: string }[] };
      return {
        status: 200,
        body: { code: 0, results: items.map((i) => ({ key: i.key, status: 'accepted', platformId: 'p' })) },
      };
    });
    closers.push(() => platform.close());
    const target = new RestJsonTarget('province', restConfig(platform.url));
    closers.push(() => target.close());
    const fault = strategyFault();
    const items = threeWithMiddleBad('province', fault);

    const [first, middle, last] = await target.deliver(items);

    expect([first?.state, last?.state]).toEqual(['accepted', 'accepted']);
    expectAlone(
      middle,
      `target province: batch upload to ${platform.url} not sent: the batch item of license lic-000002 version 1 could not be built`,
      fault,
    );
    const sent = platform.seen.flatMap((r) =>
      (JSON.parse(r.body) as { items: { key: string }[] }).items.map((i) => i.key),
    );
    expect(sent).toEqual([items[0]?.key, items[2]?.key]);
  });

  it('soap-xml: it fails alone, final and unsent; the other two are sent once and accepted', async () => {
    const service = await soapServiceAnswering((keys) =>
      keys.map((key) => ({ key, status: 'accepted', platformId: 'p', errors: [], duplicate: false })),
    );
    closers.push(() => service.close());
    const target = soapTarget(`${service.url}/soap`);
    closers.push(() => target.close());
    const fault = strategyFault();
    const items = threeWithMiddleBad('city', fault);

    const [first, middle, last] = await target.deliver(items);

    expect([first?.state, last?.state]).toEqual(['accepted', 'accepted']);
    expectAlone(
      middle,
      `target city: SubmitLicenses to ${service.url} not sent: the record of license lic-000002 version 1 could not be built`,
      fault,
    );
    const sent = service.seen.flatMap((r) =>
      [...r.body.matchAll(/<lic:key>([^<]+)<\/lic:key>/g)].map((m) => m[1]),
    );
    expect(sent).toEqual([items[0]?.key, items[2]?.key]);
  });

  describe('front-db (SQLite)', () => {
    let place: FrontDbPlace;
    let target: FrontDbTarget;
    beforeAll(async () => {
      place = await sqlitePlace('lb-part-not-built');
      await cityExchangeTable(place.city, 'UP_LIC_DATA');
      target = new FrontDbTarget('city', frontDbConfig('sqlite', place.where, 'UP_LIC_DATA'));
    });
    afterAll(async () => {
      await target?.close();
      await place?.dispose();
    });

    it('it fails alone, final and unsent; the rows of the other two are written', async () => {
      const fault = strategyFault();
      const items = threeWithMiddleBad('city', fault);

      const [first, middle, last] = await target.deliver(items);

      expect([first?.state, last?.state]).toEqual(['accepted', 'accepted']);
      expectAlone(
        middle,
        'target city: write to exchange table UP_LIC_DATA not sent: the exchange row of license lic-000002 version 1 could not be built',
        fault,
      );
      const keys = (await place.city('UP_LIC_DATA').select('DELIVERY_KEY')) as { DELIVERY_KEY: string }[];
      expect(keys.map((r) => r.DELIVERY_KEY).sort()).toEqual([items[0]?.key, items[2]?.key]);
    });

    it('a read-back holds the others as sent, and not the one whose row cannot be built', async () => {
      const [before, after] = [deliveryItem(4, { target: 'city' }), deliveryItem(6, { target: 'city' })];
      expect((await target.deliver([before, after])).map((o) => o.state)).toEqual(['accepted', 'accepted']);
      const items = [before, unbuildable(5, 'city', strategyFault()), after];

      const held = await target.heldAsSent(items);

      expect([...held].sort()).toEqual([before.key, after.key]);
    });
  });
});
