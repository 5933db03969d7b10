/**
 * Verify holds the version ids the chain records as at most `rangeCap` ranges (ledger/audit-id-ranges.ts);
 * a ledger with more gaps between its ids than that is checked a window of ids at a time, with a
 * walk of the chain each. The answer must be the one a single window gives: a row inserted in a gap
 * of the last window is named, and the ledger as written verifies. Both ledgers.
 */
import type { Knex } from 'knex';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { encodeKeyPosition } from '../../connectors/key-position.js';
import type { Ledger } from '../../ledger/ledger.js';
import { openLedger } from '../../ledger/open-ledger.js';
import { BACKENDS, quietLogger, type TestDatabase } from '../ledger/backends.js';
import { candidates, licenseIdOf } from '../ledger/fixtures.js';
import { rawKnex } from '../ledger/raw-knex.js';

const PIPELINE = 'windows';
const PAGES = 24;

describe.each(BACKENDS)('audit verify over many gaps between version ids ($name)', (backend) => {
  let database: TestDatabase;
  let ledger: Ledger;
  let raw: Knex;
  /** Ids no version took, one after each page. */
  const gaps: number[] = [];
  /** The id after each of them, which no version took either: just below the next page's. */
  const edges: number[] = [];

  beforeAll(async () => {
    database = await backend.create();
    ledger = await openLedger(database.url, { logger: quietLogger });
    raw = rawKnex(database.url);
    await ledger.startRun({ runId: 'run-1', pipeline: PIPELINE, mode: 'incremental' });
    for (let n = 1; n <= PAGES; n += 1) {
      await ledger.commitPage({
        pipeline: PIPELINE,
        runId: 'run-1',
        checkpoint: encodeKeyPosition({ cursor: null, key: `k${n}` }),
        rowsRead: 1,
        candidates: candidates(n, 1, { pipeline: PIPELINE }),
        quarantined: [],
      });
      // An id the sequence skips, as a rolled-back page leaves on PostgreSQL.
      const max = Number((await raw('license_versions').max({ m: 'version_id' }).first())?.m);
      gaps.push(max + 1);
      edges.push(max + 2);
      if (backend.name === 'postgres') {
        await raw.raw(`select setval(pg_get_serial_sequence('license_versions', 'version_id'), ?)`, [
          max + 2,
        ]);
      } else {
        await raw('sqlite_sequence')
          .where({ name: 'license_versions' })
          .update({ seq: max + 2 });
      }
    }
    // The newest version follows the last gap, so every gap lies below it.
    await ledger.commitPage({
      pipeline: PIPELINE,
      runId: 'run-1',
      checkpoint: encodeKeyPosition({ cursor: null, key: 'last' }),
      rowsRead: 1,
      candidates: candidates(PAGES + 1, 1, { pipeline: PIPELINE }),
      quarantined: [],
    });
  });
  afterEach(async () => {
    await raw('license_versions')
      .whereIn('version_id', [...gaps, ...edges])
      .del();
  });
  afterAll(async () => {
    await raw?.destroy();
    await ledger?.close();
    await database?.dispose();
  });

  const forge = async (gapId: number, n: number) => {
    const template = await raw('license_versions')
      .where({ license_id: licenseIdOf(n, PIPELINE), version: 1 })
      .first();
    await raw('license_versions').insert({
      ...template,
      version_id: gapId,
      version: 2,
      identifier: `${licenseIdOf(n, PIPELINE)}.002.F`,
      content_hash: 'hash:forged',
    });
  };

  it('verifies the ledger as written, in windows of a few ranges', async () => {
    expect(await ledger.verifyAudit({ rangeCap: 4, pageSize: 5 })).toMatchObject({ ok: true });
  });

  it.each([
    ['the first', 0],
    ['the last', PAGES - 1],
  ])('names a version inserted in %s gap, as one window does', async (_, at) => {
    const gapId = gaps[at] as number;
    await forge(gapId, at + 1);
    const expected = {
      ok: false,
      firstBad: { kind: 'unrecorded' },
      unrecorded: [{ licenseId: licenseIdOf(at + 1, PIPELINE), version: 2, versionId: gapId }],
    };
    expect(await ledger.verifyAudit({ pageSize: 5 })).toMatchObject(expected);
    expect(await ledger.verifyAudit({ rangeCap: 4, pageSize: 5 })).toMatchObject(expected);
  });

  it("names once each version inserted at a gap's upper end, every window's last id among them", async () => {
    // A window ends just below the first range it drops, an id no version took: it is the last of
    // its window and the next window starts after it, so a row forged there is named, and once.
    for (const [i, edgeId] of edges.entries()) await forge(edgeId, i + 1);
    const expected = edges.map((versionId, i) => ({
      licenseId: licenseIdOf(i + 1, PIPELINE),
      version: 2,
      versionId,
    }));
    // Each named once: toMatchObject would take a longer list as matching, so the list is compared whole.
    const unrecorded = async (rangeCap?: number) => {
      const r = await ledger.verifyAudit({ pageSize: 5, ...(rangeCap !== undefined ? { rangeCap } : {}) });
      return r.ok ? [] : r.unrecorded;
    };
    expect(await unrecorded()).toEqual(expected);
    for (const rangeCap of [2, 3, 4, 5]) expect(await unrecorded(rangeCap)).toEqual(expected);
  });
});
