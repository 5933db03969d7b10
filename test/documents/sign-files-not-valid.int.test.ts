// A sealed license file is the license itself, sealed today: `sign files` issues none for a version
// that is not valid (a revocation, a stock license read already cancelled), which `status` does not
// count as owed either, and a target that waits for files does not hold such a version for one.
import { readdirSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contentHash } from '../../catalog/canonical.js';
import type { License, LicenseStatus } from '../../catalog/license.js';
import { encodeKeyPosition } from '../../connectors/key-position.js';
import { versionsWithFile } from '../../pipelines/stages/deliver-files.js';
import { type FileWorkspace, fileWorkspace, PIPELINE } from '../platforms/license-file-workspace.js';
import { DISTRICT_ISSUER, foodLicense } from './fixtures.js';

/** License `n` of the workspace's pipeline in `status`, committed as a new license; its version id. */
async function commitWithStatus(ws: FileWorkspace, n: number, status: LicenseStatus): Promise<number> {
  const runId = `seed-${status}`;
  const l: License = {
    ...foodLicense(n),
    issuer: DISTRICT_ISSUER,
    identifier: `1.2.156.3005.2.11370200MB12345674001.${DISTRICT_ISSUER.code}.R${String(n).padStart(8, '0')}.001.F`,
    status,
  };
  await ws.ledger.startRun({ pipeline: PIPELINE, runId, mode: 'full' });
  const page = await ws.ledger.commitPage({
    pipeline: PIPELINE,
    runId,
    checkpoint: encodeKeyPosition({ cursor: null, key: String(n) }),
    rowsRead: 1,
    candidates: [
      {
        licenseId: l.identifier.slice(0, -6),
        sourceKey: String(n),
        contentHash: contentHash(l),
        status,
        lineage: {
          pipeline: PIPELINE,
          source: 'market-food',
          sourceKey: String(n),
          runId,
          catalogVersion: 'c',
          mappingVersion: 'm',
        },
        build: () => l,
      },
    ],
    quarantined: [],
  });
  return (page.created[0] as { versionId: number }).versionId;
}

describe('sign files: versions that are not valid', () => {
  let ws: FileWorkspace;
  let revoked: number;
  let cancelled: number;

  beforeAll(async () => {
    // License 1 valid, no file yet; licenses 2 and 3 read from the source revoked and cancelled.
    ws = await fileWorkspace(1, 0);
    revoked = await commitWithStatus(ws, 2, 'revoked');
    cancelled = await commitWithStatus(ws, 3, 'cancelled');
  });
  afterAll(async () => {
    await ws?.close();
  });

  it('are owed no file: status counts only the valid one, and sign files seals only it', async () => {
    expect(await ws.ledger.licenseFiles.countWithoutFile(PIPELINE)).toBe(1);
    expect(await ws.issue()).toBe(1);
    const files = (readdirSync(ws.store, { recursive: true }) as string[]).filter((f) => f.endsWith('.ofd'));
    expect(files).toHaveLength(1);
    expect(files[0]).toContain('D00000001');
    expect(await ws.ledger.licenseFiles.countWithoutFile(PIPELINE)).toBe(0);
    // A second run finds nothing owed.
    expect(await ws.issue()).toBe(0);
  });

  it('are not held by a target that waits for files', async () => {
    const [valid] = ws.versionIds as [number];
    expect([...(await versionsWithFile(ws.ledger, [valid, revoked, cancelled]))].sort()).toEqual(
      [valid, revoked, cancelled].sort(),
    );
  });
});
