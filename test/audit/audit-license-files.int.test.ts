// Issuing a sealed license file (`sign files`) is an act the rules require logged: each file
// recorded in the ledger appends its audit entry in the same transaction, once.
import type { Knex } from 'knex';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseVersionRanges } from '../../ledger/audit-batch.js';
import type { Ledger } from '../../ledger/ledger.js';
import type { StoredLicenseFile } from '../../ledger/license-files.js';
import { openLedger } from '../../ledger/open-ledger.js';
import { BACKENDS, quietLogger, type TestDatabase } from '../ledger/backends.js';
import { newVersions } from '../ledger/fixtures.js';
import { rawKnex } from '../ledger/raw-knex.js';

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

describe.each(BACKENDS)('license files changed after their audit entry ($name)', (backend) => {
  let db: TestDatabase;
  let ledger: Ledger;
  let raw: Knex;
  let ids: number[];
  let entries: { batch: number; single: number };

  beforeAll(async () => {
    db = await backend.create();
    ledger = await openLedger(db.url, { logger: quietLogger });
    raw = rawKnex(db.url);
    ids = await newVersions(ledger, 'food', 1, 4);
    await ledger.licenseFiles.record(await files(ledger, ids.slice(0, 3)));
    await ledger.licenseFiles.record(await files(ledger, ids.slice(3)));
    const all = await ledger.readAudit({ limit: 10_000 });
    const [batch, single] = all.filter((e) => e.action === 'issue-file').map((e) => e.seq);
    entries = { batch: batch as number, single: single as number };
  });
  afterAll(async () => {
    await raw?.destroy();
    await ledger?.close();
    await db?.dispose();
  });

  /** Runs `change` on the file row of `versionId`, verifies, and puts the row back. */
  async function verifyWith(versionId: number, change: (row: Knex.QueryBuilder) => Promise<unknown>) {
    const before = await raw('license_files').where({ version_id: versionId }).first();
    await change(raw('license_files').where({ version_id: versionId }));
    try {
      return await ledger.verifyAudit();
    } finally {
      await raw('license_files').where({ version_id: versionId }).del();
      await raw('license_files').insert(before);
    }
  }

  it('verifies the untouched ledger', async () => {
    expect(await ledger.verifyAudit()).toMatchObject({ ok: true });
  });

  it('names the batch entry of a file whose SM3 was changed, or whose row is gone', async () => {
    const changed = await verifyWith(ids[1] as number, (row) => row.update({ sm3: 'f'.repeat(64) }));
    expect(changed).toMatchObject({ ok: false, firstBad: { seq: entries.batch, kind: 'acts-differ' } });
    const gone = await verifyWith(ids[0] as number, (row) => row.del());
    expect(gone).toMatchObject({ ok: false, firstBad: { seq: entries.batch, kind: 'acts-differ' } });
  });

  it('names the entry of a file alone whose size or seal was changed', async () => {
    const size = await verifyWith(ids[3] as number, (row) => row.update({ size: 1 }));
    expect(size).toMatchObject({ ok: false, firstBad: { seq: entries.single, kind: 'acts-differ' } });
    expect((size as { firstBad: { message: string } }).firstBad.message).toContain('license file');
    const seal = await verifyWith(ids[3] as number, (row) => row.update({ seal: 'other-seal' }));
    expect(seal).toMatchObject({ ok: false, firstBad: { seq: entries.single, kind: 'acts-differ' } });
    expect(await ledger.verifyAudit()).toMatchObject({ ok: true });
  });
});
