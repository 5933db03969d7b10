/**
 * `reconcile --repair`'s re-deliver puts the delivery of the version the check saw back to
 * `pending`. When the license moved on between the check and the repair (the daily tick expired
 * it, a run read a change) and the newer version already landed, sending the older one again
 * would put the outdated license back at the platform: a citizen sees an expired license as valid.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Ledger } from '../../ledger/ledger.js';
import { BACKENDS } from '../ledger/backends.js';
import { type DeliveredLicense, deliveredLicense, TARGET } from './delivered-license.js';

describe.each(BACKENDS)('repair re-deliver of a version a newer one replaced ($name)', (backend) => {
  let fixture: DeliveredLicense | undefined;
  let ledger: Ledger;
  let pipeline: string;
  let licenseId: string;

  beforeAll(async () => {
    fixture = await deliveredLicense(backend, 'RR', { state: 'accepted' }, '2026-01-09');
    ({ ledger, pipeline, licenseId } = fixture);
  });

  afterAll(async () => {
    await fixture?.close();
  });

  it('leaves the older delivery alone once the tick expired the license and the platform took it', async () => {
    // The check saw version 1 as the ledger's latest; then the tick expired the license and the
    // expiry landed, before the repair was applied.
    const tickRun = `lifecycle-2026-01-10-${randomUUID()}`;
    await ledger.beginLifecycleTick({ pipeline, day: '2026-01-10', runId: tickRun });
    const [v2] = await ledger.expireDue({ pipeline, today: '2026-01-10', runId: tickRun, limit: 10 });
    if (!v2) throw new Error('the tick expired nothing');
    await ledger.finishLifecycleTick({ pipeline, day: '2026-01-10', runId: tickRun, expired: 1 });
    await ledger.ensureDeliveries([v2.versionId], TARGET);
    await ledger.recordDeliveryOutcomes([{ key: `${licenseId}:2:${TARGET}`, state: 'accepted' }]);

    const reopened = await ledger.reopenDeliveries(
      [`${licenseId}:1:${TARGET}`],
      'operator:test',
      'reconcile r1',
    );
    expect(reopened).toBe(0);
    const [d1] = await ledger.getDeliveries([`${licenseId}:1:${TARGET}`]);
    expect(d1?.state).toBe('accepted');
    // Nothing was repaired, so nothing is audited as a repair.
    const repairs = (await ledger.readAudit({ limit: 1000 })).filter((e) => e.action === 'repair');
    expect(repairs).toEqual([]);
  });

  it('still re-delivers the latest version', async () => {
    const reopened = await ledger.reopenDeliveries(
      [`${licenseId}:2:${TARGET}`],
      'operator:test',
      'reconcile r2',
    );
    expect(reopened).toBe(1);
    const [d2] = await ledger.getDeliveries([`${licenseId}:2:${TARGET}`]);
    expect(d2?.state).toBe('pending');
  });
});
