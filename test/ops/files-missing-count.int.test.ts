// The count behind `files-missing` (licbridge status) on both ledger backends: per pipeline, the
// versions `sign files` would page through for it, and none once their files are recorded.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Ledger } from '../../ledger/ledger.js';
import { openLedger } from '../../ledger/open-ledger.js';
import { commitLicenses, storedFoodLicense } from '../documents/fixtures.js';
import { BACKENDS, quietLogger, type TestDatabase } from '../ledger/backends.js';

async function commitRun(ledger: Ledger, pipeline: string, ns: readonly number[]): Promise<void> {
  const runId = `${pipeline}-run`;
  await commitLicenses(ledger, { pipeline, runId, mode: 'full' }, ns, storedFoodLicense);
  await ledger.finishRun(runId, { state: 'done' });
}

/** Every version `sign files --pipeline` would take up, paged as it pages. */
async function owed(ledger: Ledger, pipeline: string): Promise<number[]> {
  const ids: number[] = [];
  for (let after = 0; ; ) {
    const page = await ledger.licenseFiles.withoutFile({ pipeline, afterVersionId: after, limit: 2 });
    if (page.length === 0) return ids;
    ids.push(...page.map((v) => v.versionId));
    after = page[page.length - 1]?.versionId ?? after;
  }
}

async function recordFiles(ledger: Ledger, pipeline: string, versionIds: readonly number[]): Promise<void> {
  const versions = await ledger.getVersions([...versionIds]);
  await ledger.licenseFiles.record(
    versions.map((v) => ({
      versionId: v.versionId,
      licenseId: v.licenseId,
      version: v.version,
      pipeline,
      path: `t/${v.versionId}.ofd`,
      sm3: '0'.repeat(64),
      size: 1,
      seal: 'district-seal',
      signedAt: new Date(),
    })),
  );
}

describe.each(BACKENDS)('license versions without a file, counted ($name)', (backend) => {
  let db: TestDatabase;
  let ledger: Ledger;

  beforeAll(async () => {
    db = await backend.create();
    ledger = await openLedger(db.url, { logger: quietLogger });
    await ledger.migrate();
    await commitRun(ledger, 'food', [1, 2, 3, 4, 5]);
    await commitRun(ledger, 'other', [6, 7]);
  });
  afterAll(async () => {
    await ledger?.close();
    await db?.dispose();
  });

  it('counts what sign files would issue for the pipeline, and none once the files are recorded', async () => {
    const food = await owed(ledger, 'food');
    expect(food).toHaveLength(5);
    expect(await ledger.licenseFiles.countWithoutFile('food')).toBe(5);
    expect(await ledger.licenseFiles.countWithoutFile('other')).toBe(2);
    expect(await ledger.licenseFiles.countWithoutFile('unknown')).toBe(0);

    await recordFiles(ledger, 'food', food.slice(0, 3));
    expect(await ledger.licenseFiles.countWithoutFile('food')).toBe((await owed(ledger, 'food')).length);
    expect(await ledger.licenseFiles.countWithoutFile('food')).toBe(2);
    expect(await ledger.licenseFiles.countWithoutFile('other')).toBe(2);

    await recordFiles(ledger, 'food', food.slice(3));
    expect(await ledger.licenseFiles.countWithoutFile('food')).toBe(0);
    expect(await ledger.licenseFiles.countWithoutFile('other')).toBe(2);
  });
});
