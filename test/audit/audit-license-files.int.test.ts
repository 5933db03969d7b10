// Issuing a sealed license file (`sign files`) is an act the rules require logged: each file
// recorded in the ledger appends its audit entry in the same transaction, once.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseVersionRanges } from '../../ledger/audit-batch.js';
import type { Ledger } from '../../ledger/ledger.js';
import type { StoredLicenseFile } from '../../ledger/license-files.js';
import { openLedger } from '../../ledger/open-ledger.js';
import { BACKENDS, quietLogger, type TestDatabase } from '../ledger/backends.js';
import { newVersions } from '../ledger/fixtures.js';

async function files(ledger: Ledger, versionIds: readonly number[]): Promise<StoredLicenseFile[]> {
  const versions = await ledger.getVersions([...versionIds]);
  return versions.map((v) => ({
    versionId: v.versionId,
    licenseId: v.licenseId,
    version: v.version,
    pipeline: 'food',
    path: `t/${v.versionId}.ofd`,
    sm3: String(v.versionId % 10).repeat(64),
    size: 1000 + v.versionId,
    seal: 'district-seal',
    signedAt: new Date('2026-12-01T08:00:00.000Z'),
  }));
}

describe.each(BACKENDS)('license files in the audit chain ($name)', (backend) => {
  let db: TestDatabase;
  let ledger: Ledger;

  beforeAll(async () => {
    db = await backend.create();
    ledger = await openLedger(db.url, { logger: quietLogger });
  });
  afterAll(async () => {
    await ledger?.close();
    await db?.dispose();
  });

  it('records each file issued, a page as one entry and a file alone as its own, once', async () => {
    const ids = await newVersions(ledger, 'food', 1, 4);
    const before = (await ledger.readAudit({ limit: 10_000 })).length;
    const page = await files(ledger, ids.slice(0, 3));
    expect(await ledger.licenseFiles.record(page)).toBe(3);
    const [alone] = await files(ledger, ids.slice(3));
    expect(await ledger.licenseFiles.record([alone as StoredLicenseFile])).toBe(1);
    // Recorded again (a rerun): no new file, no new entry.
    expect(await ledger.licenseFiles.record(page)).toBe(0);

    const added = (await ledger.readAudit({ limit: 10_000 })).slice(before);
    expect(added.map((e) => [e.action, e.actor])).toEqual([
      ['issue-file', 'seal:district-seal'],
      ['issue-file', 'seal:district-seal'],
    ]);
    const [batch, single] = added;
    expect(parseVersionRanges(JSON.parse(batch?.detail ?? '{}').versions)).toEqual(ids.slice(0, 3));
    expect(single).toMatchObject({
      licenseId: alone?.licenseId,
      version: alone?.version,
      digest: alone?.sm3,
    });
    expect(JSON.parse(single?.detail ?? '{}')).toMatchObject({ versionId: ids[3], size: alone?.size });
    // Ids, hashes and sizes only: the file's path (it names the license) stays in license_files.
    expect(added.map((e) => e.detail).join('')).not.toContain('.ofd');
    expect(await ledger.verifyAudit()).toMatchObject({ ok: true });
  });
});
