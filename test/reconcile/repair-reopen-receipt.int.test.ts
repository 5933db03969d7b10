/**
 * `reconcile --repair`'s re-deliver clears the delivery's receipt, so the answer read after the
 * repair is that send's own (a duplicate is told apart by it). The receipt cleared — the
 * platform's word on the earlier acceptance, its batch — is kept in the `repair` audit entry: a
 * send that gets no answer (the platform down, the repair given up) left the ledger without it.
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

describe.each(BACKENDS)('a reopened delivery keeps its earlier receipt in the audit ($name)', (backend) => {
  let database: TestDatabase;
  let ledger: Ledger;
  const tag = randomBytes(3).toString('hex').toUpperCase();
  const pipeline = `rc-${tag.toLowerCase()}`;
  const serial = `RC${tag}000001`;
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
      { key, state: 'accepted', platformId: 'P-1', receipt: { batchId: 'B-20260101-7', duplicate: false } },
    ]);
  });

  afterAll(async () => {
    await ledger?.close();
    await database?.dispose();
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
