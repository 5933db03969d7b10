/**
 * A fault other than a format error (PayloadError) while a license's part of a request was built (a
 * REST/JSON batch item, a SOAP record, a front database's exchange row) went out of `deliver` bare,
 * before anything was sent: no target, no request named, and every license of the call counted an
 * attempt (pipelines/stages/deliver.ts sentWith). Made a failure of the whole call, unsent and
 * final (00fd36ba), it had the deliver worker dead-letter every open delivery of the job for that
 * one license. It is now that license's own outcome: failed, final and unsent, naming the target,
 * the request, where it was to go and the license, the fault its cause, which the deliver stage
 * logs masked. The others of the call are sent (request-part-not-built.int.test.ts).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { FrontDbTarget } from '../../adapters/platforms/front-db/front-db-target.js';
import { RestJsonTarget } from '../../adapters/platforms/rest-json/rest-json-target.js';
import { SoapXmlTarget } from '../../adapters/platforms/soap-xml/soap-xml-target.js';
import type { DeliveryItem, DeliveryOutcome } from '../../adapters/platforms/target.js';
import { logFailureCauses } from '../../pipelines/stages/deliver-causes.js';
import { lineLogger } from '../support/log-lines.js';
import { strategyFault } from './auth-strategy-fault.js';
import { frontDbConfig } from './front-db-fixtures.js';
import { deliveryItem, restConfig, sampleLicense } from './license-fixture.js';

/** Nothing listens there: a request that left would fail as unreachable, not as built. */
const url = 'http://127.0.0.1:9/api';

const closers: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const c of closers.splice(0).reverse()) await c();
});

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

/** Its own outcome, final and unsent (no attempt), named; the fault its cause, logged masked. */
function expectNotBuilt(outcomes: DeliveryOutcome[], item: DeliveryItem, reason: string, fault: Error): void {
  expect(outcomes).toEqual([
    { key: item.key, state: 'failed', retryable: false, unsent: true, reasons: [reason], cause: fault },
  ]);
  const { logger, lines } = lineLogger('warn');
  logFailureCauses(logger, 'any', outcomes, new Map());
  const line = lines.join('\n');
  expect(lines).toHaveLength(1);
  expect(line).toContain('signing: cannot read properties of undefined');
  expect(line).not.toContain('13912340001');
}

describe("a fault of no known kind while a license's part of a request is built", () => {
  it('rest-json: the license fails alone, unsent, naming the batch upload, the platform and itself', async () => {
    const fault = strategyFault();
    const target = new RestJsonTarget('province', restConfig(url));
    closers.push(() => target.close());
    const item = unbuildable(2, 'province', fault);

    const outcomes = await target.deliver([item]);

    expectNotBuilt(
      outcomes,
      item,
      'target province: batch upload to http://127.0.0.1:9 not sent: the batch item of license lic-000002 version 1 could not be built',
      fault,
    );
  });

  it('soap-xml: the license fails alone, unsent, naming SubmitLicenses, the service and itself', async () => {
    const fault = strategyFault();
    const target = new SoapXmlTarget('city', {
      kind: 'soap-xml',
      url,
      batchSize: 50,
      timeoutMs: 2000,
      concurrency: 1,
      attempts: 3,
    });
    closers.push(() => target.close());
    const item = unbuildable(2, 'city', fault);

    const outcomes = await target.deliver([item]);

    expectNotBuilt(
      outcomes,
      item,
      'target city: SubmitLicenses to http://127.0.0.1:9 not sent: the record of license lic-000002 version 1 could not be built',
      fault,
    );
  });

  it('front-db: the license fails alone, unsent, naming the write, the exchange table and itself', async () => {
    const fault = strategyFault();
    // Never opened: the rows are made before the database is reached, and none is left to write.
    const config = frontDbConfig('sqlite', { path: '/nonexistent/front.db' }, 'UP_LIC_DATA');
    const target = new FrontDbTarget('city', config);
    closers.push(() => target.close());
    const item = unbuildable(2, 'city', fault);

    const outcomes = await target.deliver([item]);

    expectNotBuilt(
      outcomes,
      item,
      'target city: write to exchange table UP_LIC_DATA not sent: the exchange row of license lic-000002 version 1 could not be built',
      fault,
    );
  });
});

describe("a cause logged by the deliver stage, naming its license's holder unquoted", () => {
  const outcome = (key: string, cause: Error): DeliveryOutcome => ({
    key,
    state: 'failed',
    retryable: false,
    unsent: true,
    reasons: ['target any: not sent'],
    cause,
  });

  it("has the license's values masked: no shape tells a name", () => {
    const item = deliveryItem(3, { target: 'any', license: sampleLicense(3) });
    const { name, id } = item.license.holder;
    const fault = new TypeError(`mapping: holder ${name}: unknown region (id ${id})`);
    const { logger, lines } = lineLogger('warn');
    logFailureCauses(logger, 'any', [outcome(item.key, fault)], new Map([[item.key, item.license]]));
    const line = lines.join('\n');
    expect(line).toContain('mapping: holder ***: unknown region');
    expect(line).not.toContain(name);
    expect(line).not.toContain(id);
  });

  it("has its words withheld, its type kept, when the license's values cannot be read", () => {
    const item = unbuildable(2, 'any', new TypeError('no holder'));
    const fault = new TypeError('mapping: holder 测试戊己: unknown region');
    const { logger, lines } = lineLogger('warn');
    logFailureCauses(logger, 'any', [outcome(item.key, fault)], new Map([[item.key, item.license]]));
    const line = lines.join('\n');
    expect(lines).toHaveLength(1);
    expect(line).toContain('"type":"TypeError"');
    expect(line).toContain('withheld');
    expect(line).not.toContain('测试戊己');
  });
});
