/**
 * The lifecycle tick's ledger side on both backends: the day's expiries become `expire` versions
 * (one per license, status `expired`, next identifier version), nothing else moves, a replay
 * creates nothing, and the selection goes through the (pipeline, status, valid_to) index.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contentHash } from '../../catalog/canonical.js';
import { identifierBuilder, parseIdentifier } from '../../catalog/identifier.js';
import type { License, LicenseStatus } from '../../catalog/license.js';
import { encodeKeyPosition } from '../../connectors/key-position.js';
import { versionIdsOf } from '../../ledger/audit-batch.js';
import type { Ledger, VersionCandidate } from '../../ledger/ledger.js';
import { openLedger } from '../../ledger/open-ledger.js';
import { BACKENDS, quietLogger, sqliteBackend, type TestDatabase } from '../ledger/backends.js';

const TYPE = '11370200MB12345674001';
const ISSUER = '11370211MB12345672';
const ids = identifierBuilder(TYPE, ISSUER);

function license(serial: string, version: number, validTo: string | null, status: LicenseStatus): License {
  return {
    identifier: ids.identifier(serial, version),
    number: `JY${serial}`,
    type: { name: '食品经营许可证', code: TYPE },
    issuer: { name: '青岛西海岸新区市场监督管理局', code: ISSUER },
    issueDate: '2021-01-01',
    validFrom: '2021-01-01',
    validTo,
    areaCode: '370211',
    holder: { name: '某某餐饮有限公司', idType: '001', id: '91370211MA3C000000' },
    status,
    surface: { businessItems: ['热食类食品制售'] },
  };
}

function candidate(
  pipeline: string,
  serial: string,
  validTo: string | null,
  status: LicenseStatus = 'valid',
): VersionCandidate {
  const l = license(serial, 1, validTo, status);
  return {
    licenseId: ids.licenseId(serial),
    sourceKey: serial,
    contentHash: contentHash(l),
    status,
    lineage: {
      pipeline,
      source: 's',
      sourceKey: serial,
      runId: 'r',
      catalogVersion: 'c',
      mappingVersion: 'm',
    },
    build: (version) => license(serial, version, validTo, status),
  };
}

describe.each(BACKENDS)('lifecycle tick in the ledger ($name)', (backend) => {
  let database: TestDatabase;
  let ledger: Ledger;
  const tag = randomBytes(3).toString('hex').toUpperCase();
  const pipeline = `lc-${tag.toLowerCase()}`;
  const serial = (n: number) => `LC${tag}${String(n).padStart(6, '0')}`;

  beforeAll(async () => {
    database = await backend.create();
    ledger = await openLedger(database.url, { logger: quietLogger });
    const runId = randomUUID();
    await ledger.startRun({ runId, pipeline, mode: 'incremental' });
    await ledger.commitPage({
      pipeline,
      runId,
      checkpoint: encodeKeyPosition({ cursor: null, key: 'k' }),
      rowsRead: 6,
      candidates: [
        candidate(pipeline, serial(1), '2026-01-09'),
        candidate(pipeline, serial(2), '2026-01-10'),
        candidate(pipeline, serial(3), '2026-01-11'),
        candidate(pipeline, serial(4), null),
        candidate(pipeline, serial(5), '2025-06-30', 'revoked'),
        candidate(pipeline, serial(6), '2025-06-30', 'suspended'),
      ],
      quarantined: [],
    });
  });

  afterAll(async () => {
    await ledger?.close();
    await database?.dispose();
  });

  async function tick(today: string, limit = 1): Promise<number[]> {
    const runId = `lifecycle-${today}-${randomUUID()}`;
    await ledger.beginLifecycleTick({ pipeline, day: today, runId });
    const created = [];
    for (;;) {
      const page = await ledger.expireDue({ pipeline, today, runId, limit });
      created.push(...page);
      if (page.length < limit) break;
    }
    await ledger.finishLifecycleTick({ pipeline, day: today, runId, expired: created.length });
    return created.map((c) => c.versionId);
  }

  it('counts, then expires exactly the licenses still valid whose validTo is before today', async () => {
    expect(await ledger.countDueExpiries(pipeline, '2026-01-10')).toBe(1);
    const created = await tick('2026-01-10');
    expect(created).toHaveLength(1);
    const [v] = await ledger.getVersions(created);
    expect(v?.licenseId).toBe(ids.licenseId(serial(1)));
    expect(v?.version).toBe(2);
    expect(v?.operation).toBe('expire');
    expect(v?.status).toBe('expired');
    expect(v?.payload.status).toBe('expired');
    expect(v?.payload.identifier).toBe(ids.identifier(serial(1), 2));
    const parsed = parseIdentifier(v?.payload.identifier ?? '');
    expect(parsed.ok).toBe(true);
    // The same content a mapper gives the row from now on: a later run finds it unchanged.
    expect(v?.contentHash).toBe(contentHash(license(serial(1), 2, '2026-01-09', 'expired')));
    expect((await ledger.licenseStatusCounts(pipeline)).expired).toBe(1);
    const mark = await ledger.lifecycleWatermark(pipeline);
    expect(mark?.day).toBe('2026-01-10');
    expect(mark?.pendingDay).toBeNull();
  });

  it('a replay of the same day creates nothing', async () => {
    expect(await tick('2026-01-10')).toEqual([]);
  });

  it('two days later expires the next two; long-term, revoked and suspended licenses keep their status', async () => {
    // One page of two: its expiries share one audit entry (docs/audit.md, "Acts of a batch").
    const created = await tick('2026-01-12', 2);
    const versions = await ledger.getVersions(created);
    expect(versions.map((v) => v.licenseId).sort()).toEqual(
      [ids.licenseId(serial(2)), ids.licenseId(serial(3))].sort(),
    );
    expect(await ledger.licenseStatusCounts(pipeline)).toEqual({
      expired: 3,
      valid: 1,
      revoked: 1,
      suspended: 1,
    });
    const expiries = (await ledger.readAudit({ limit: 1000 })).filter((e) => e.action === 'expire');
    expect(expiries.map((e) => e.licenseId)).toEqual([ids.licenseId(serial(1)), null]);
    const batch = expiries[1];
    expect(batch && versionIdsOf(batch)).toEqual([...created].sort((a, b) => a - b));
    expect(batch && JSON.parse(batch.detail)).toMatchObject({ today: '2026-01-12', count: 2 });
    const licenses = (await ledger.getVersions(expiries.flatMap(versionIdsOf))).map((v) => v.licenseId);
    expect(licenses.sort()).toEqual([1, 2, 3].map((n) => ids.licenseId(serial(n))).sort());
    expect(await ledger.verifyAudit()).toMatchObject({ ok: true });
  });
});

describe('the day’s expiries on SQLite', () => {
  it('are found through the valid_to index, not a scan of the licenses', async () => {
    const database = await sqliteBackend.create();
    const ledger = await openLedger(database.url, { logger: quietLogger });
    try {
      const db = new Database(database.url.slice('sqlite://'.length), { readonly: true });
      try {
        const plan = db
          .prepare(
            `explain query plan select license_id from licenses
              where pipeline = ? and status = ? and valid_to < ? order by valid_to, license_id limit 500`,
          )
          .all('p', 'valid', '2026-01-12') as { detail: string }[];
        const text = plan.map((p) => p.detail).join('\n');
        expect(text).toContain('licenses_pipeline_status_valid_to_idx');
        expect(text).not.toMatch(/SCAN licenses(?! USING)/);
      } finally {
        db.close();
      }
    } finally {
      await ledger.close();
      await database.dispose();
    }
  });
});
