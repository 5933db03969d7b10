/**
 * A repair's reopening leaves a delivery the platform answered `submitted` as it is: the platform
 * holds that key under review (and lists the license once accepted), so sent again it would be
 * answered as a duplicate; the deliver job that sent it asks for the verdict.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Ledger } from '../../ledger/ledger.js';
import { BACKENDS } from '../ledger/backends.js';
import { type DeliveredLicense, deliveredLicense } from './delivered-license.js';

describe.each(BACKENDS)('a repair does not reopen a delivery under review ($name)', (backend) => {
  let fixture: DeliveredLicense | undefined;
  let ledger: Ledger;
  let licenseId: string;
  let key: string;

  beforeAll(async () => {
    fixture = await deliveredLicense(backend, 'RS', {
      state: 'submitted',
      platformId: 'P-1',
      receipt: { batchId: 'B-20260101-9' },
    });
    ({ ledger, licenseId, key } = fixture);
  });

  afterAll(async () => {
    await fixture?.close();
  });

  it('leaves it submitted with its receipt, and writes no repair entry', async () => {
    expect(await ledger.reopenDeliveries([key], 'operator:test', 'reconcile r1')).toBe(0);
    const [d] = await ledger.getDeliveries([key]);
    expect(d?.state).toBe('submitted');
    expect(d?.receipt).toEqual({ batchId: 'B-20260101-9' });
    const repairs = (await ledger.readAudit({ limit: 1000 })).filter(
      (e) => e.action === 'repair' && e.licenseId === licenseId,
    );
    expect(repairs).toEqual([]);

    // Once the review accepted it, a platform that lost it since has it sent again.
    await ledger.recordDeliveryOutcomes([{ key, state: 'accepted', platformId: 'P-1' }]);
    expect(await ledger.reopenDeliveries([key], 'operator:test', 'reconcile r2')).toBe(1);
    expect((await ledger.getDeliveries([key]))[0]?.state).toBe('pending');
  });
});
