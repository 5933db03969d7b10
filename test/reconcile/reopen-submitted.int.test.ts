/**
 * A repair's reopening leaves a delivery the platform answered `submitted` as it is: the platform
 * holds that key under review (and lists the license once accepted), so sent again it would be
 * answered as a duplicate; the deliver job that sent it asks for the verdict.
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
    validTo: '2031-01-09',
    areaCode: '370211',
    holder: { name: '某某餐饮有限公司', idType: '001', id: '91370211MA3C000000' },
    status: 'valid',
    surface: { businessItems: ['热食类食品制售'] },
  };
}

describe.each(BACKENDS)('a repair does not reopen a delivery under review ($name)', (backend) => {
  let database: TestDatabase;
  let ledger: Ledger;
  const tag = randomBytes(3).toString('hex').toUpperCase();
  const pipeline = `rs-${tag.toLowerCase()}`;
  const serial = `RS${tag}000001`;
  const licenseId = ids.licenseId(serial);
  const key = `${licenseId}:1:${TARGET}`;

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
    await ledger.recordDeliveryOutcomes([
      { key, state: 'submitted', platformId: 'P-1', receipt: { batchId: 'B-20260101-9' } },
    ]);
  });

  afterAll(async () => {
    await ledger?.close();
    await database?.dispose();
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
