/**
 * A city SOAP service whose item limit is under the target's `batchSize` (the city simulator takes
 * at most 1,000 records a request) refuses a larger SubmitLicenses with a `Client` fault naming
 * `batch-too-large`, not with HTTP 413. The target sends the batch again in halves, as after a
 * 413, and every license is delivered once. Before, the fault was read as any `Client` fault: the
 * same request was refused at every attempt and the whole job's deliveries were dead-lettered.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SoapXmlTarget } from '../../adapters/platforms/soap-xml/soap-xml-target.js';
import {
  type CitySoapSimulator,
  startCitySoapSimulator,
} from '../../adapters/simulators/city-soap/city-soap-simulator.js';
import { MAX_BATCH_ITEMS } from '../../adapters/simulators/province/batch-handler.js';
import { deliveryItem } from './license-fixture.js';

describe('SOAP: a service refusing a batch over its item limit with a fault', () => {
  let sim: CitySoapSimulator;
  beforeAll(async () => {
    sim = await startCitySoapSimulator({});
  });
  afterAll(async () => sim?.close());

  it('is sent again in halves; every license delivered once', async () => {
    const count = MAX_BATCH_ITEMS + 200;
    const target = new SoapXmlTarget('city', {
      kind: 'soap-xml',
      url: sim.url,
      batchSize: 2000,
      timeoutMs: 20_000,
      concurrency: 1,
      attempts: 1,
    } as never);
    try {
      const items = Array.from({ length: count }, (_, i) => deliveryItem(i + 1, { target: 'city' }));
      const outcomes = await target.deliver(items);
      expect(outcomes.filter((o) => o.state !== 'accepted')).toEqual([]);
      expect(sim.stats()).toMatchObject({ accepted: count, duplicates: 0 });
      // One refused request of all of them, then halves of 600 (1,200 / 2) that pass.
      expect(sim.stats().requests).toBe(3);
    } finally {
      await target.close();
    }
  }, 60_000);
});
