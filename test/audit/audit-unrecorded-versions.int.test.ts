/**
 * Every version row has its act in the chain: a row inserted straight into `license_versions`
 * with an id no version took (below the newest: a PostgreSQL sequence gap) leaves every link and
 * the newest version's entry as they were, yet verify must name it by license and version number.
 * So must a repair's version whose content hash no longer matches its entry's digest (a repair's
 * entries name the license and version, not the version id). Both ledgers.
 */
import type { Knex } from 'knex';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { encodeKeyPosition } from '../../connectors/key-position.js';
import type { Ledger } from '../../ledger/ledger.js';
import { openLedger } from '../../ledger/open-ledger.js';
import { BACKENDS, quietLogger, type TestDatabase } from '../ledger/backends.js';
import { candidate, candidates, licenseIdOf, revokingRepair } from '../ledger/fixtures.js';
import { rawKnex } from '../ledger/raw-knex.js';

const PIPELINE = 'unrecorded';

describe.each(BACKENDS)('audit verify on versions no entry records ($name)', (backend) => {
  let database: TestDatabase;
  let ledger: Ledger;
  let raw: Knex;
  /** An id below the newest that no version took. */
  let gapId: number;
  let repaired: { versionId: number; contentHash: string };

  const page = (n: number, from: number, count: number) =>
    ledger.commitPage({
      pipeline: PIPELINE,
      runId: 'run-1',
      checkpoint: encodeKeyPosition({ cursor: null, key: `k${n}` }),
      rowsRead: count,
      candidates: candidates(from, count, { pipeline: PIPELINE }),
      quarantined: [],
    });

  beforeAll(async () => {
    database = await backend.create();
    ledger = await openLedger(database.url, { logger: quietLogger });
    raw = rawKnex(database.url);
    await ledger.startRun({ runId: 'run-1', pipeline: PIPELINE, mode: 'incremental' });
    // A batch entry (three versions), an entry of one act, and a repair's version.
    await page(1, 1, 3);
    await page(2, 4, 1);
    const [created] = await ledger.appendRepairVersions(
      revokingRepair(candidate({ n: 2, pipeline: PIPELINE })),
    );
    repaired = { versionId: created?.versionId as number, contentHash: 'hash:repaired' };
    // Ids the sequence hands out past a gap, as a rolled-back transaction leaves on PostgreSQL.
    const max = Number((await raw('license_versions').max({ m: 'version_id' }).first())?.m);
    gapId = max + 1;
    if (backend.name === 'postgres') {
      await raw.raw(`select setval(pg_get_serial_sequence('license_versions', 'version_id'), ?)`, [max + 10]);
    } else {
      await raw('sqlite_sequence')
        .where({ name: 'license_versions' })
        .update({ seq: max + 10 });
    }
    await page(3, 5, 2);
  });
  afterEach(async () => {
    await raw('license_versions').where({ version_id: gapId }).del();
    await raw('license_versions')
      .where({ version_id: repaired.versionId })
      .update({ content_hash: repaired.contentHash });
  });
  afterAll(async () => {
    await raw?.destroy();
    await ledger?.close();
    await database?.dispose();
  });

  it('verifies the ledger as written: batches, an act alone, a repair, ids past a gap', async () => {
    expect(await ledger.verifyAudit()).toMatchObject({ ok: true });
  });

  it('names a version row inserted with an id in a gap below the newest', async () => {
    const template = await raw('license_versions')
      .where({ license_id: licenseIdOf(3, PIPELINE), version: 1 })
      .first();
    await raw('license_versions').insert({
      ...template,
      version_id: gapId,
      version: 2,
      identifier: `${licenseIdOf(3, PIPELINE)}.002.F`,
      content_hash: 'hash:forged',
    });
    const result = await ledger.verifyAudit();
    expect(result).toMatchObject({
      ok: false,
      firstBad: { kind: 'unrecorded' },
      unrecorded: [{ licenseId: licenseIdOf(3, PIPELINE), version: 2, versionId: gapId }],
    });
    if (result.ok) return;
    expect(result.firstBad.seq).toBe(result.headSeq + 1);
    // The entry recording the version id closest to it: page 2's act (the repair's names no id).
    const nearest = await raw('audit_log')
      .where({ license_id: licenseIdOf(4, PIPELINE), action: 'issue' })
      .first();
    expect(result.firstBad.message).toContain(
      `license ${licenseIdOf(3, PIPELINE)} version 2 (version id ${gapId}; the nearest entry recording a version is ${nearest.seq})`,
    );
  });

  // The ids are read a pipeline at a time, each pipeline named after the one before: a row under
  // an empty name (sorting before every other, '' on both ledgers) was never read, and verify passed.
  it('names a version row inserted under an empty pipeline name', async () => {
    const template = await raw('license_versions')
      .where({ license_id: licenseIdOf(3, PIPELINE), version: 1 })
      .first();
    await raw('license_versions').insert({
      ...template,
      version_id: gapId,
      pipeline: '',
      version: 2,
      identifier: `${licenseIdOf(3, PIPELINE)}.002.F`,
      content_hash: 'hash:forged',
    });
    expect(await ledger.verifyAudit()).toMatchObject({
      ok: false,
      firstBad: { kind: 'unrecorded' },
      unrecorded: [{ licenseId: licenseIdOf(3, PIPELINE), version: 2, versionId: gapId }],
    });
  });

  // No sequence hands out an id below 1, nor can an entry record one past the safe integers: such a
  // row was read from the lowest safe integer on only, so one at -2^62 passed unseen, and one at
  // 2^62, the newest, failed verify on reading it ('expected an integer') naming nothing.
  it('names version rows inserted at ids beyond the safe integers, each way', async () => {
    const template = await raw('license_versions')
      .where({ license_id: licenseIdOf(3, PIPELINE), version: 1 })
      .first();
    for (const [id, version] of [
      ['-4611686018427387904', 2],
      ['4611686018427387904', 3],
    ] as const) {
      await raw('license_versions').insert({
        ...template,
        version_id: raw.raw(id),
        version,
        identifier: `${licenseIdOf(3, PIPELINE)}.00${version}.F`,
        content_hash: 'hash:forged',
      });
    }
    try {
      const result = await ledger.verifyAudit();
      expect(result).toMatchObject({
        ok: false,
        firstBad: { kind: 'unrecorded' },
        unrecorded: [
          { licenseId: licenseIdOf(3, PIPELINE), version: 2, versionId: '-4611686018427387904' },
          { licenseId: licenseIdOf(3, PIPELINE), version: 3, versionId: '4611686018427387904' },
        ],
      });
      if (result.ok) return;
      expect(result.firstBad.message).toContain(
        `license ${licenseIdOf(3, PIPELINE)} version 2 (version id -4611686018427387904), license ${licenseIdOf(3, PIPELINE)} version 3 (version id 4611686018427387904)`,
      );
    } finally {
      await raw('license_versions')
        .where({ license_id: licenseIdOf(3, PIPELINE) })
        .where('version', '>', 1)
        .del();
    }
  });

  it('names a repair’s version whose content hash no longer matches its entry', async () => {
    await raw('license_versions')
      .where({ version_id: repaired.versionId })
      .update({ content_hash: 'hash:changed' });
    const result = await ledger.verifyAudit();
    // The repair's version entry names its license and number: the row is looked up by them and
    // named at that entry, as a version an entry names by id is (audit-acts.ts).
    const entry = (await ledger.readAudit({ limit: 10_000 })).find(
      (e) => e.action !== 'repair' && e.licenseId === licenseIdOf(2, PIPELINE) && e.version === 2,
    );
    expect(result).toMatchObject({ ok: false, firstBad: { seq: entry?.seq, kind: 'acts-differ' } });
    if (!result.ok) expect(result.firstBad.message).toContain(`version id ${repaired.versionId}`);
  });
});
