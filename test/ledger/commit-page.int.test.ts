import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LicenseStatus } from '../../catalog/license.js';
import { encodeKeyPosition } from '../../connectors/key-position.js';
import { isLicbridgeError } from '../../core/errors.js';
import type { CommitPageInput, Ledger } from '../../ledger/ledger.js';
import { openLedger } from '../../ledger/open-ledger.js';
import { BACKENDS, quietLogger, type TestDatabase } from './backends.js';
import { candidate, candidates, uniqueName } from './fixtures.js';

describe.each(BACKENDS)('ledger commitPage ($name)', (backend) => {
  let database: TestDatabase;
  let ledger: Ledger;

  beforeAll(async () => {
    database = await backend.create();
    ledger = await openLedger(database.url, { logger: quietLogger });
  });

  afterAll(async () => {
    await ledger?.close();
    await database?.dispose();
  });

  async function newRun(pipeline: string): Promise<string> {
    const runId = uniqueName('run');
    await ledger.startRun({ runId, pipeline, mode: 'incremental' });
    return runId;
  }

  function page(pipeline: string, runId: string, over: Partial<CommitPageInput>): CommitPageInput {
    const cands = over.candidates ?? [];
    const quarantined = over.quarantined ?? [];
    return {
      pipeline,
      runId,
      checkpoint: encodeKeyPosition({ cursor: '2024-01-01 00:00:00.123', key: 'k' }),
      rowsRead: cands.length + quarantined.length,
      candidates: cands,
      quarantined,
      ...over,
    };
  }

  it('creates version 1 of new licenses and stores their payload', async () => {
    const pipeline = uniqueName('p');
    const runId = await newRun(pipeline);
    const result = await ledger.commitPage(
      page(pipeline, runId, { candidates: candidates(1, 3, { pipeline }) }),
    );
    expect(result.created.map((c) => [c.version, c.operation])).toEqual([
      [1, 'issue'],
      [1, 'issue'],
      [1, 'issue'],
    ]);
    expect(result.unchanged).toBe(0);

    const versions = await ledger.getVersions(result.created.map((c) => c.versionId));
    expect(versions).toHaveLength(3);
    const first = versions[0]!;
    const expected = candidate({ n: 1, pipeline });
    expect(first.licenseId).toBe(expected.licenseId);
    expect(first.identifier).toBe(`${expected.licenseId}.001.F`);
    expect(first.payload).toEqual(expected.build(1));
    expect(first.lineage).toEqual(expected.lineage);
    expect(first.contentHash).toBe(expected.contentHash);
    expect(first.createdAt).toBeInstanceOf(Date);
    expect(await ledger.runVersionIds(runId)).toEqual(result.created.map((c) => c.versionId));
  });

  it('changes nothing when a page is replayed', async () => {
    const pipeline = uniqueName('p');
    const runId = await newRun(pipeline);
    const input = page(pipeline, runId, { candidates: candidates(1, 5, { pipeline }) });
    const first = await ledger.commitPage(input);
    expect(first.created).toHaveLength(5);

    const replay = await ledger.commitPage(input);
    expect(replay.created).toEqual([]);
    expect(replay.unchanged).toBe(5);
    expect(await ledger.runVersionIds(runId)).toHaveLength(5);
    // A later run reading the same rows again creates nothing either.
    const run2 = await newRun(pipeline);
    expect(
      (await ledger.commitPage(page(pipeline, run2, { candidates: candidates(1, 5, { pipeline }) }))).created,
    ).toEqual([]);
  });

  const transitions: [LicenseStatus, LicenseStatus, string][] = [
    ['valid', 'valid', 'update'],
    ['valid', 'revoked', 'revoke'],
    ['valid', 'suspended', 'suspend'],
    ['suspended', 'valid', 'resume'],
    ['valid', 'cancelled', 'cancel'],
    ['valid', 'expired', 'expire'],
    ['suspended', 'revoked', 'revoke'],
    ['expired', 'valid', 'update'],
    ['valid', 'withdrawn', 'update'],
  ];

  it.each(transitions)('changed content %s → %s makes version 2 with operation %s', async (from, to, op) => {
    const pipeline = uniqueName('p');
    const runId = await newRun(pipeline);
    await ledger.commitPage(
      page(pipeline, runId, { candidates: [candidate({ n: 1, status: from, pipeline })] }),
    );
    const result = await ledger.commitPage(
      page(pipeline, runId, { candidates: [candidate({ n: 1, status: to, content: 'b', pipeline })] }),
    );
    expect(result.created).toHaveLength(1);
    expect(result.created[0]).toMatchObject({ version: 2, operation: op });
    const [v2] = await ledger.getVersions([result.created[0]!.versionId]);
    expect(v2?.identifier).toMatch(/\.002\.F$/);
    expect(v2?.status).toBe(to);
    expect(v2?.payload.status).toBe(to);
  });

  it('gives a license that appears twice in one page versions 1 and 2, in page order', async () => {
    const pipeline = uniqueName('p');
    const runId = await newRun(pipeline);
    const result = await ledger.commitPage(
      page(pipeline, runId, {
        candidates: [
          candidate({ n: 9, pipeline }),
          candidate({ n: 9, content: 'b', status: 'revoked', pipeline }),
          candidate({ n: 9, content: 'b', status: 'revoked', pipeline }),
        ],
      }),
    );
    expect(result.created.map((c) => [c.version, c.operation])).toEqual([
      [1, 'issue'],
      [2, 'revoke'],
    ]);
    expect(result.unchanged).toBe(1);
  });

  it('keeps the run counts adding up and stores the checkpoint', async () => {
    const pipeline = uniqueName('p');
    const runId = await newRun(pipeline);
    expect(await ledger.getCheckpoint(pipeline)).toBeNull();

    await ledger.commitPage(
      page(pipeline, runId, {
        checkpoint: encodeKeyPosition({ cursor: '2024-01-01 10:00:00.000001', key: '000120' }),
        candidates: candidates(1, 4, { pipeline }),
        quarantined: [
          { sourceKey: 'Q-1', reasons: [{ code: 'LB_MAP_DATE', message: 'bad date', path: 'validFrom' }] },
        ],
      }),
    );
    await ledger.commitPage(
      page(pipeline, runId, {
        checkpoint: encodeKeyPosition({ cursor: null, key: '000240' }),
        candidates: [...candidates(1, 2, { pipeline }), candidate({ n: 3, content: 'c', pipeline })],
        quarantined: [
          {
            sourceKey: 'Q-2',
            reasons: [{ code: 'LB_HOLDER_ID_CHECK', message: 'check char', value: '1101****002X' }],
          },
        ],
      }),
    );

    const run = await ledger.getRun(runId);
    expect(run).toMatchObject({ read: 9, created: 5, unchanged: 2, quarantined: 2, state: 'running' });
    expect(run!.read).toBe(run!.created + run!.unchanged + run!.quarantined);
    expect(await ledger.getCheckpoint(pipeline)).toEqual(encodeKeyPosition({ cursor: null, key: '000240' }));

    const quarantine = await ledger.quarantineFor(runId);
    expect(quarantine).toEqual([
      { sourceKey: 'Q-1', reasons: [{ code: 'LB_MAP_DATE', message: 'bad date', path: 'validFrom' }] },
      {
        sourceKey: 'Q-2',
        reasons: [{ code: 'LB_HOLDER_ID_CHECK', message: 'check char', value: '1101****002X' }],
      },
    ]);

    await ledger.resetCheckpoint(pipeline);
    expect(await ledger.getCheckpoint(pipeline)).toBeNull();
  });

  it('keeps one quarantine record per (run, source key), the latest read, when a page is replayed', async () => {
    const pipeline = uniqueName('p');
    const runId = await newRun(pipeline);
    const input = page(pipeline, runId, {
      quarantined: [{ sourceKey: 'Q-1', reasons: [{ code: 'LB_MAP_DATE', message: 'first' }] }],
    });
    await ledger.commitPage(input);
    await ledger.commitPage({
      ...input,
      quarantined: [{ sourceKey: 'Q-1', reasons: [{ code: 'LB_MAP_DATE', message: 'second' }] }],
    });
    // Read again, the row said otherwise: the record holds what the latest read found.
    expect(await ledger.quarantineFor(runId)).toEqual([
      { sourceKey: 'Q-1', reasons: [{ code: 'LB_MAP_DATE', message: 'second' }] },
    ]);
  });

  it('writes nothing when a build throws inside the transaction', async () => {
    const pipeline = uniqueName('p');
    const runId = await newRun(pipeline);
    await ledger.commitPage(
      page(pipeline, runId, {
        checkpoint: encodeKeyPosition({ cursor: 'c1', key: 'k1' }),
        candidates: candidates(1, 2, { pipeline }),
      }),
    );
    const broken = candidate({ n: 50, pipeline });
    broken.build = () => {
      throw new Error('mapping exploded');
    };
    await expect(
      ledger.commitPage(
        page(pipeline, runId, {
          checkpoint: encodeKeyPosition({ cursor: 'c2', key: 'k2' }),
          candidates: [candidate({ n: 1, content: 'new', pipeline }), candidate({ n: 40, pipeline }), broken],
          quarantined: [{ sourceKey: 'Q-9', reasons: [{ code: 'X', message: 'x' }] }],
        }),
      ),
    ).rejects.toThrow(/mapping exploded/);

    expect(await ledger.getCheckpoint(pipeline)).toEqual(encodeKeyPosition({ cursor: 'c1', key: 'k1' }));
    expect(await ledger.runVersionIds(runId)).toHaveLength(2);
    expect(await ledger.quarantineFor(runId)).toEqual([]);
    expect(await ledger.getRun(runId)).toMatchObject({ read: 2, created: 2, unchanged: 0, quarantined: 0 });
    // The license that would have gone to version 2 is still at version 1: the next commit says so.
    const retry = await ledger.commitPage(
      page(pipeline, runId, { candidates: [candidate({ n: 1, content: 'new', pipeline })] }),
    );
    expect(retry.created[0]).toMatchObject({ version: 2, operation: 'update' });
  });

  it('refuses a page for a run that was never started, writing nothing', async () => {
    const pipeline = uniqueName('p');
    const error = await ledger
      .commitPage(page(pipeline, 'no-such-run', { candidates: candidates(1, 1, { pipeline }) }))
      .catch((e: unknown) => e);
    expect(isLicbridgeError(error) && error.code).toBe('LB_LEDGER');
    expect(await ledger.getCheckpoint(pipeline)).toBeNull();
    expect(await ledger.runVersionIds('no-such-run')).toEqual([]);
  });

  it('commits a page larger than one statement can carry', async () => {
    const pipeline = uniqueName('p');
    const runId = await newRun(pipeline);
    // 6,000 rows × 11 columns passes SQLite's 32,766 and PostgreSQL's 65,535 bind parameters.
    const big = candidates(1, 6000, { pipeline, prefix: 'B' });
    const result = await ledger.commitPage(page(pipeline, runId, { candidates: big }));
    expect(result.created).toHaveLength(6000);
    expect(new Set(result.created.map((c) => c.versionId)).size).toBe(6000);
    // Ids match licenses: version ids are handed out in page order.
    const some = await ledger.getVersions([result.created[4321]!.versionId]);
    expect(some[0]?.licenseId).toBe(big[4321]!.licenseId);

    const changed = candidates(1, 6000, { pipeline, prefix: 'B', content: 'z' });
    const again = await ledger.commitPage(
      page(pipeline, runId, { candidates: [...big.slice(0, 10), ...changed.slice(10)] }),
    );
    expect(again.unchanged).toBe(10);
    expect(again.created).toHaveLength(5990);
    expect(again.created.every((c) => c.version === 2 && c.operation === 'update')).toBe(true);
  });
});
