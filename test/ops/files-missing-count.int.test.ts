// The count behind `files-missing` (licbridge status) on both ledger backends: per pipeline, the
// versions `sign files` would page through for it, and none once their files are recorded.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contentHash } from '../../catalog/canonical.js';
import { encodeKeyPosition } from '../../connectors/key-position.js';
import type { Ledger } from '../../ledger/ledger.js';
import { openLedger } from '../../ledger/open-ledger.js';
import { foodLicense } from '../documents/fixtures.js';
import { BACKENDS, quietLogger, type TestDatabase } from '../ledger/backends.js';

async function commitRun(ledger: Ledger, pipeline: string, ns: readonly number[]): Promise<void> {
  const runId = `${pipeline}-run`;
  await ledger.startRun({ runId, pipeline, mode: 'full' });
  await ledger.commitPage({
    pipeline,
    runId,
    checkpoint: encodeKeyPosition({ cursor: null, key: String(Math.max(...ns)) }),
    rowsRead: ns.length,
    candidates: ns.map((n) => {
      const l = foodLicense(n);
      const id = `1.2.156.3005.2.11370200MB12345674001.11370211MB1234567X.S${String(n).padStart(8, '0')}`;
      return {
        licenseId: id,
        sourceKey: String(n),
        contentHash: contentHash(l),
        status: 'valid' as const,
        lineage: {
          pipeline,
          source: 'market-food',
          sourceKey: String(n),
          runId,
          catalogVersion: 'c',
          mappingVersion: 'm',
        },
        build: (v: number) => ({ ...l, identifier: `${id}.${String(v).padStart(3, '0')}.F` }),
      };
    }),
    quarantined: [],
  });
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
