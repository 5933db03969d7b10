/**
 * A version read back reads its lineage only when it is asked for (toVersion in ledger/rows.ts):
 * the sign and deliver stages never ask. Asked for, spread, or serialised, it is the lineage as
 * written, on both backends; a lineage text that does not parse fails only the reader that asks.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeKeyPosition } from '../../connectors/key-position.js';
import type { Ledger, VersionCandidate } from '../../ledger/ledger.js';
import { openLedger } from '../../ledger/open-ledger.js';
import { BACKENDS, quietLogger, type TestDatabase } from './backends.js';
import { candidates, uniqueName } from './fixtures.js';
import { rawKnex } from './raw-knex.js';

describe.each(BACKENDS)('lineage read on demand ($name)', (backend) => {
  let database: TestDatabase;
  let ledger: Ledger;
  const pipeline = uniqueName('lin');
  const runId = uniqueName('run');
  let written: VersionCandidate[] = [];
  let ids: number[] = [];

  beforeAll(async () => {
    database = await backend.create();
    ledger = await openLedger(database.url, { logger: quietLogger });
    await ledger.startRun({ runId, pipeline, mode: 'incremental' });
    written = candidates(1, 3, { pipeline, runId });
    const result = await ledger.commitPage({
      pipeline,
      runId,
      checkpoint: encodeKeyPosition({ cursor: null, key: 'k' }),
      rowsRead: 3,
      candidates: written,
      quarantined: [],
    });
    ids = result.created.map((c) => c.versionId);
  });
  afterAll(async () => {
    await ledger?.close();
    await database?.dispose();
  });

  it('reads back the lineage as written, also when a version is spread, serialised or cloned', async () => {
    const versions = await ledger.getVersions(ids);
    expect(versions.map((v) => v.lineage)).toEqual(written.map((c) => c.lineage));
    const fresh = await ledger.getVersions(ids);
    expect(fresh.map((v) => ({ ...v }).lineage)).toEqual(written.map((c) => c.lineage));
    expect(fresh.map((v) => JSON.parse(JSON.stringify(v)).lineage)).toEqual(written.map((c) => c.lineage));
    expect(fresh.map((v) => structuredClone(v).lineage)).toEqual(written.map((c) => c.lineage));
    expect(Object.keys(fresh[0] ?? {})).toContain('lineage');
    const page = await ledger.versionPage({ afterVersionId: 0, limit: 10, pipeline });
    expect(page.map((v) => v.lineage)).toEqual(written.map((c) => c.lineage));
  });

  it('a lineage set on a version read back is the one it then has', async () => {
    const [v] = await ledger.getVersions(ids.slice(0, 1));
    if (!v) throw new Error('no version');
    const other = { ...v.lineage, sourceKey: 'other' };
    v.lineage = other;
    expect(v.lineage).toBe(other);
  });

  it('does not read the lineage of a version whose lineage is not asked for', async () => {
    const raw = rawKnex(database.url);
    try {
      await raw('license_versions').where({ version_id: ids[0] }).update({ lineage: '{not json' });
    } finally {
      await raw.destroy();
    }
    const versions = await ledger.getVersions(ids);
    expect(versions.map((v) => v.payload)).toEqual(written.map((c) => c.build(1)));
    expect(() => versions[0]?.lineage).toThrow();
    expect(versions[1]?.lineage).toEqual(written[1]?.lineage);
  });
});
