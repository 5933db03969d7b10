/**
 * A source key holding a lone surrogate (half of a UTF-16 pair without the other, as an NVARCHAR
 * key column cut mid-character hands it over) cannot be stored as UTF-8 text: PostgreSQL stores it
 * as U+FFFD, SQLite as its three WTF-8 bytes, read back as three U+FFFD. A run finds the license by
 * its id and the key it binds, so runs agree; the checks compared the source's keys with the keys
 * the ledger reads back, and took the license for one whose row is gone and its row for one without
 * a license (`deleted-at-source` and `missed` on every check, the row of a quarantined key `missed`
 * too), and a repair under `deletedAtSource: revoke` found no row back at the source and revoked a
 * license whose row is there. The key is now also compared as the ledger reads it back.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contentHash } from '../../catalog/canonical.js';
import type { License } from '../../catalog/license.js';
import { encodeKeyPosition } from '../../connectors/key-position.js';
import { pairFingerprint } from '../../core/reconcile-digest.js';
import type { Ledger } from '../../ledger/ledger.js';
import { openLedger } from '../../ledger/open-ledger.js';
import { classifySourceSide } from '../../pipelines/reconcile/classify.js';
import { lightCheck } from '../../pipelines/reconcile/light-check.js';
import type { PlannedRepair } from '../../pipelines/reconcile/repair.js';
import { reconcileSettings } from '../../pipelines/reconcile/settings.js';
import { rowsBackAtSource } from '../../pipelines/reconcile/source-recheck.js';
import { emptyFold } from '../../pipelines/reconcile/source-side.js';
import type { PipelineParts, Runtime } from '../../pipelines/runtime.js';
import { BACKENDS, quietLogger, type TestDatabase } from '../ledger/backends.js';
import { ids } from './committed-licenses.js';

const TYPE = '11370200MB12345674001';
const ISSUER = '11370211MB12345672';

function license(serial: string): License {
  return {
    identifier: ids.identifier(serial, 1),
    number: `JY${serial}`,
    type: { name: '食品经营许可证', code: TYPE },
    issuer: { name: '青岛西海岸新区市场监督管理局', code: ISSUER },
    issueDate: '2026-03-01',
    validFrom: '2026-03-01',
    validTo: '2031-02-28',
    areaCode: '370211',
    holder: { name: '某某餐饮有限公司', idType: '001', id: '91370211MA3C000000' },
    status: 'valid',
    surface: {},
  };
}

describe.each(BACKENDS)('a source key holding a lone surrogate ($name)', (backend) => {
  let database: TestDatabase;
  let ledger: Ledger;
  const tag = randomBytes(3).toString('hex').toUpperCase();
  const pipeline = `ls-${tag.toLowerCase()}`;
  const serial = `LS${tag}0001`;
  /** The license's key, and a quarantined row's. */
  const licensedKey = `K-${tag}-\udc00x`;
  const quarantinedKey = `Q-${tag}-\ud800y`;
  const settings = reconcileSettings({ config: {} });
  const parts = (keys: string[]) =>
    ({
      name: pipeline,
      source: {
        async *keys() {
          yield keys;
        },
      },
      config: { licenseType: TYPE, issuer: { code: ISSUER }, stream: { table: 't', key: 'k' } },
    }) as unknown as PipelineParts;
  const runtime = (keys: string[]) => ({ pipeline: async () => parts(keys) }) as unknown as Runtime;

  beforeAll(async () => {
    database = await backend.create();
    ledger = await openLedger(database.url, { logger: quietLogger });
    const runId = randomUUID();
    await ledger.startRun({ runId, pipeline, mode: 'incremental' });
    await ledger.commitPage({
      pipeline,
      runId,
      checkpoint: encodeKeyPosition({ cursor: null, key: 'z' }),
      rowsRead: 2,
      candidates: [
        {
          licenseId: ids.licenseId(serial),
          sourceKey: licensedKey,
          contentHash: contentHash(license(serial)),
          status: 'valid',
          lineage: {
            pipeline,
            source: 's',
            sourceKey: licensedKey,
            runId,
            catalogVersion: 'c',
            mappingVersion: 'm',
          },
          build: () => license(serial),
        },
      ],
      quarantined: [
        {
          sourceKey: quarantinedKey,
          reasons: [{ code: 'LB_MAP_DATE', message: 'not valid', path: 'validTo' }],
        },
      ],
    });
  }, 60_000);
  afterAll(async () => {
    await ledger?.close();
    await database?.dispose();
  });

  it('the light check finds the license and the quarantined row, and no difference', async () => {
    const report = await lightCheck(runtime([licensedKey, quarantinedKey]), ledger, pipeline, settings, {
      reportId: randomUUID(),
      startedAt: new Date().toISOString(),
    });
    expect(report.all.map((d) => d.kind)).toEqual([]);
    expect(report.counts.source).toMatchObject({ total: 2, quarantined: 1 });
    expect(report.counts.ledger.total).toBe(1);
  });

  it('the light check still finds the row gone', async () => {
    const report = await lightCheck(runtime([]), ledger, pipeline, settings, {
      reportId: randomUUID(),
      startedAt: new Date().toISOString(),
    });
    expect(report.all.map((d) => [d.kind, d.licenseId])).toEqual([
      ['deleted-at-source', ids.licenseId(serial)],
    ]);
  });

  it('the full check compares the row with its license', async () => {
    const [held] = await ledger.pipelineLicensePage(pipeline, '', 10);
    if (!held) throw new Error('no license');
    const fold = emptyFold();
    fold.keys.push(licensedKey);
    fold.fingerprints.push(pairFingerprint(licensedKey, held.contentHash));
    fold.buckets.push(0);
    fold.statuses.push('valid');
    expect(classifySourceSide(fold, new Set([0]), [held], (k) => k)).toEqual([]);
  });

  it("a repair's last look at the source finds the row back", async () => {
    const [held] = await ledger.pipelineLicensePage(pipeline, '', 10);
    if (!held) throw new Error('no license');
    const item: PlannedRepair = {
      action: 'revoke',
      difference: {
        kind: 'deleted-at-source',
        licenseId: held.licenseId,
        sourceKey: held.sourceKey,
        target: null,
        ledger: { version: held.version, versionId: held.versionId, status: held.status, contentHash: '' },
        platform: null,
      },
    };
    expect([...(await rowsBackAtSource(parts([licensedKey]), [item]))]).toEqual([held.licenseId]);
  });
});
