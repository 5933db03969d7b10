/**
 * `reconcile --repair`'s re-deliver clears the delivery's receipt, so the answer read after the
 * repair is that send's own (a duplicate is told apart by it). The receipt cleared — the
 * platform's word on the earlier acceptance, its batch — is kept in the `repair` audit entry: a
 * send that gets no answer (the platform down, the repair given up) left the ledger without it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Ledger } from '../../ledger/ledger.js';
import { BACKENDS } from '../ledger/backends.js';
import { type DeliveredLicense, deliveredLicense } from './delivered-license.js';

describe.each(BACKENDS)('a reopened delivery keeps its earlier receipt in the audit ($name)', (backend) => {
  let fixture: DeliveredLicense | undefined;
  let ledger: Ledger;
  let licenseId: string;
  let key: string;

  beforeAll(async () => {
    fixture = await deliveredLicense(backend, 'RC', {
      state: 'accepted',
      platformId: 'P-1',
      receipt: { batchId: 'B-20260101-7', duplicate: false },
    });
    ({ ledger, licenseId, key } = fixture);
  });

  afterAll(async () => {
    await fixture?.close();
  });

  it('clears the row for the next answer, and the repair entry holds the receipt it cleared', async () => {
    expect(await ledger.reopenDeliveries([key], 'operator:test', 'reconcile r1')).toBe(1);
    const [d] = await ledger.getDeliveries([key]);
    expect(d?.state).toBe('pending');
    expect(d?.receipt).toBeNull();
    const repairs = (await ledger.readAudit({ limit: 1000 })).filter(
      (e) => e.action === 'repair' && e.licenseId === licenseId,
    );
    const details = repairs.map((e) => JSON.parse(e.detail) as Record<string, string>);
    expect(details.map((d) => ({ ...d, receipt: JSON.parse(d.receipt ?? 'null') as unknown }))).toEqual([
      { deliveryKey: key, reason: 'reconcile r1', receipt: { batchId: 'B-20260101-7', duplicate: false } },
    ]);

    // Reopened again before any answer came: nothing to keep, and nothing made up.
    expect(await ledger.reopenDeliveries([key], 'operator:test', 'reconcile r2')).toBe(1);
    const again = (await ledger.readAudit({ limit: 1000 })).filter(
      (e) => e.action === 'repair' && e.licenseId === licenseId,
    );
    expect(again.map((e) => JSON.parse(e.detail) as unknown)).toContainEqual({
      deliveryKey: key,
      reason: 'reconcile r2',
    });
    expect((await ledger.verifyAudit()).ok).toBe(true);
  });
});
