/**
 * A sign batch larger than one SQLite statement takes (500 rows): every signature is stored once
 * and reads back as recorded, a pair given twice in the call keeps its first signature wherever
 * the second falls, and SQLite stores the bound ids as integers (as the JSON parameter did).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeKeyPosition } from '../../connectors/key-position.js';
import type { Ledger, StoredSignature } from '../../ledger/ledger.js';
import { openLedger } from '../../ledger/open-ledger.js';
import { BACKENDS, quietLogger, type TestDatabase } from './backends.js';
import { candidates, signature, uniqueName } from './fixtures.js';
import { rawKnex } from './raw-knex.js';

const COUNT = 600;

describe.each(BACKENDS)('signatures recorded in a large batch ($name)', (backend) => {
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

  it('stores each pair once, the first given standing, and reads every signature back', async () => {
    const pipeline = uniqueName('sigb');
    const runId = uniqueName('run');
    await ledger.startRun({ runId, pipeline, mode: 'incremental' });
    const result = await ledger.commitPage({
      pipeline,
      runId,
      checkpoint: encodeKeyPosition({ cursor: null, key: 'k' }),
      rowsRead: COUNT,
      candidates: candidates(1, COUNT, { pipeline, runId }),
      quarantined: [],
    });
    const ids = result.created.map((c) => c.versionId);
    expect(ids).toHaveLength(COUNT);
    const versions = await ledger.getVersions(ids);
    // Every other one signed as the pipeline signs (the version's own hash, stored ''), the rest
    // with a hash of their own, kept as given.
    const expected: StoredSignature[] = versions.map((v, i) =>
      i % 2 === 0
        ? { ...signature(v.versionId, 'seal-1'), contentHash: v.contentHash }
        : signature(v.versionId, 'seal-1'),
    );
    const first = expected[0] as StoredSignature;
    const last = expected[COUNT - 1] as StoredSignature;
    // The first pair again past the first statement's rows, and the last pair again before its first.
    const given = [
      ...expected.slice(0, 10),
      { ...last, digest: 'cd'.repeat(32), signature: Uint8Array.from([9, 9]) },
      ...expected.slice(10),
      { ...first, digest: 'ef'.repeat(32), signature: Uint8Array.from([8, 8]) },
    ];
    expected[COUNT - 1] = { ...last, digest: 'cd'.repeat(32), signature: Uint8Array.from([9, 9]) };

    expect(await ledger.recordSignatures(given)).toBe(COUNT);
    expect(await ledger.getSignatures(ids)).toEqual(expected);
    // A replay of the whole call inserts nothing.
    expect(await ledger.recordSignatures(given)).toBe(0);

    const raw = rawKnex(database.url);
    try {
      const rows: { version_id: unknown; content_hash: string }[] = await raw('signatures')
        .select('version_id', 'content_hash')
        .orderBy('version_id');
      expect(rows.filter((r) => r.content_hash === '')).toHaveLength(COUNT / 2);
      if (backend.name === 'sqlite') {
        const kinds: { kind: string }[] = await raw('signatures').distinct(
          raw.raw('typeof(version_id) as kind'),
        );
        expect(kinds.map((k) => k.kind)).toEqual(['integer']);
      }
    } finally {
      await raw.destroy();
    }
  });
});
