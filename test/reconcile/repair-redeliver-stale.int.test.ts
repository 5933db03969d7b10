/**
 * `reconcile --repair`'s re-deliver puts the delivery of the version the check saw back to
 * `pending`. When the license moved on between the check and the repair (the daily tick expired
 * it, a run read a change) and the newer version already landed, sending the older one again
 * would put the outdated license back at the platform: a citizen sees an expired license as valid.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contentHash } from '../../catalog/canonical.js';
import { identifierBuilder } from '../../catalog/identifier.js';
import type { License } from '../../catalog/license.js';
import { encodeKeyPosition } from '../../connectors/key-position.js';
import type { Ledger } from '../../ledger/ledger.js';
import { openLedger } from '../../ledger/open-ledger.js';
import { BACKENDS, quietLogger, type TestDatabase } from '../ledger/backends.js';

const TYPE = '11370200MB12345674001';
const ISSUER = '11370211MB12345672';
const ids = identifierBuilder(TYPE, ISSUER);
const TARGET = 'province';

function license(serial: string, version: number): License {
  return {
    identifier: ids.identifier(serial, version),
    number: `JY${serial}`,
    type: { name: '食品经营许可证', code: TYPE },
    issuer: { name: '青岛西海岸新区市场监督管理局', code: ISSUER },
    issueDate: '2021-01-01',
    validFrom: '2021-01-01',
    validTo: '2026-01-09',
    areaCode: '370211',
    holder: { name: '某某餐饮有限公司', idType: '001', id: '91370211MA3C000000' },
    status: 'valid',
    surface: { businessItems: ['热食类食品制售'] },
  };
}

describe.each(BACKENDS)('repair re-deliver of a version a newer one replaced ($name)', (backend) => {
  let database: TestDatabase;
  let ledger: Ledger;
  const tag = randomBytes(3).toString('hex').toUpperCase();
  const pipeline = `rr-${tag.toLowerCase()}`;
  const serial = `RR${tag}000001`;
  const licenseId = ids.licenseId(serial);

  beforeAll(async () => {
    database = await backend.create();
    ledger = await openLedger(database.url, { logger: quietLogger });
    const runId = randomUUID();
    await ledger.startRun({ runId, pipeline, mode: 'incremental' });
    const [v1] = (
      await ledger.commitPage({
        pipeline,
        runId,
        checkpoint: encodeKeyPosition({ cursor: null, key: 'k' }),
        rowsRead: 1,
        candidates: [
          {
            licenseId,
            sourceKey: serial,
            contentHash: contentHash(license(serial, 1)),
            status: 'valid',
            lineage: {
              pipeline,
              source: 's',
              sourceKey: serial,
              runId,
              catalogVersion: 'c',
              mappingVersion: 'm',
            },
            build: (version) => license(serial, version),
          },
        ],
        quarantined: [],
      })
    ).created;
    if (!v1) throw new Error('no version 1');
    await ledger.ensureDeliveries([v1.versionId], TARGET);
    await ledger.recordDeliveryOutcomes([{ key: `${licenseId}:1:${TARGET}`, state: 'accepted' }]);
  });

  afterAll(async () => {
    await ledger?.close();
    await database?.dispose();
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
