/**
 * The rows many writers share since migrations 025 and 026 (`version_contexts`,
 * `signature_profiles`), made by two transactions at once on PostgreSQL: a page or a signing batch
 * that needs a row another transaction has just inserted, not yet committed, waits for it at the
 * unique index and then names that row (ON CONFLICT DO NOTHING, then read back); when the other
 * rolls back, it makes the row itself. Either way one row per context, and every version and
 * signature reads back as written. On SQLite two ledgers on one file do the same one after the other.
 */
import type { Knex } from 'knex';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeKeyPosition } from '../../connectors/key-position.js';
import type { Ledger, StoredSignature, VersionCandidate } from '../../ledger/ledger.js';
import { lineageColumn } from '../../ledger/lineage-column.js';
import { openLedger } from '../../ledger/open-ledger.js';
import { payloadColumn } from '../../ledger/payload-column.js';
import { splitVersion, type VersionContext } from '../../ledger/version-context.js';
import { postgresBackend, quietLogger, sqliteBackend, type TestDatabase } from './backends.js';
import { candidates, signature, uniqueName } from './fixtures.js';
import { rawKnex } from './raw-knex.js';

/** The context a candidate's first version names. */
function contextOf(c: VersionCandidate, pipeline: string, runId: string): VersionContext {
  const license = c.build(1);
  const split = splitVersion(payloadColumn(license), license, lineageColumn(c.lineage, pipeline, runId));
  if (!split.context) throw new Error('the fixture shares nothing');
  return split.context;
}

/** Settles `p` and says whether it did within `ms`. */
async function settledWithin(p: Promise<unknown>, ms: number): Promise<boolean> {
  let done = false;
  void p.then(
    () => {
      done = true;
    },
    () => {
      done = true;
    },
  );
  await new Promise((r) => setTimeout(r, ms));
  return done;
}

describe('shared rows made by two transactions at once (postgres)', () => {
  let database: TestDatabase;
  let ledger: Ledger;
  let raw: Knex;

  beforeAll(async () => {
    database = await postgresBackend.create();
    ledger = await openLedger(database.url, { logger: quietLogger });
    raw = rawKnex(database.url);
  });
  afterAll(async () => {
    await raw?.destroy();
    await ledger?.close();
    await database?.dispose();
  });

  async function page(pipeline: string, runId: string, written: VersionCandidate[]) {
    await ledger.startRun({ runId, pipeline, mode: 'incremental' });
    return ledger.commitPage({
      pipeline,
      runId,
      checkpoint: encodeKeyPosition({ cursor: null, key: 'k' }),
      rowsRead: written.length,
      candidates: written,
      quarantined: [],
    });
  }

  for (const outcome of ['commit', 'rollback'] as const) {
    it(`a page waits for a context another transaction is inserting, then names one row (${outcome})`, async () => {
      const pipeline = uniqueName('ctxc');
      const runId = uniqueName('run');
      // A catalog version of this test's own: a context no other test has made.
      const catalogVersion = uniqueName('catalog');
      const written = candidates(1, 3, { pipeline, runId }).map((c) => ({
        ...c,
        lineage: { ...c.lineage, catalogVersion },
      }));
      const context = contextOf(written[0] as VersionCandidate, pipeline, runId);
      const trx = await raw.transaction();
      let pending: ReturnType<typeof page> | undefined;
      let other: { context_id: unknown } | undefined;
      try {
        [other] = await trx('version_contexts').insert(context).returning('context_id');
        pending = page(pipeline, runId, written);
        expect(await settledWithin(pending, 400)).toBe(false);
      } finally {
        if (outcome === 'commit') await trx.commit();
        else await trx.rollback();
      }
      const result = await pending;
      expect(result.created).toHaveLength(3);
      const rows: { context_id: unknown }[] = await raw('license_versions')
        .select('context_id')
        .whereIn(
          'version_id',
          result.created.map((c) => c.versionId),
        );
      const named = new Set(rows.map((r) => Number(r.context_id)));
      expect(named.size).toBe(1);
      const [row] = await raw('version_contexts').where(context).select('context_id');
      expect(named).toEqual(new Set([Number((row as { context_id: unknown }).context_id)]));
      if (outcome === 'commit' && other) expect([...named]).toEqual([Number(other.context_id)]);
      const versions = await ledger.getVersions(result.created.map((c) => c.versionId));
      expect(versions.map((v) => v.payload)).toEqual(written.map((c) => c.build(1)));
      expect(versions.map((v) => v.lineage)).toEqual(written.map((c) => c.lineage));
    });
  }

  it('a signing batch waits for a profile another transaction is inserting, then names it', async () => {
    const pipeline = uniqueName('sigc');
    const runId = uniqueName('run');
    const result = await page(pipeline, runId, candidates(1, 2, { pipeline, runId }));
    const versions = await ledger.getVersions(result.created.map((c) => c.versionId));
    const distId = `C${Date.now()}`;
    const sigs: StoredSignature[] = versions.map((v) => ({
      ...signature(v.versionId, 'seal-c'),
      contentHash: v.contentHash,
      distId,
    }));
    const trx = await raw.transaction();
    let pending: Promise<number> | undefined;
    try {
      await trx('signature_profiles').insert({
        algorithm: 'SM2-SM3',
        dist_id: distId,
        signer_kind: 'local-sm2',
      });
      pending = ledger.recordSignatures(sigs);
      expect(await settledWithin(pending, 400)).toBe(false);
    } finally {
      await trx.commit();
    }
    expect(await pending).toBe(2);
    const profiles = await raw('signature_profiles').where({ dist_id: distId }).count({ n: '*' }).first();
    expect(Number(profiles?.n)).toBe(1);
    expect(await ledger.getSignatures(sigs.map((s) => s.versionId))).toEqual(sigs);
  });
});

describe('shared rows made by two ledgers on one file (sqlite)', () => {
  let database: TestDatabase;
  let ledgers: Ledger[] = [];

  beforeAll(async () => {
    database = await sqliteBackend.create();
    const first = await openLedger(database.url, { logger: quietLogger });
    ledgers = [first, await openLedger(database.url, { logger: quietLogger })];
  });
  afterAll(async () => {
    for (const l of ledgers) await l.close();
    await database?.dispose();
  });

  it('two pages of two pipelines sharing a context, at once, name one row', async () => {
    const pages = ledgers.map((ledger, i) => {
      const pipeline = uniqueName(`ctxs${i}`);
      const runId = uniqueName('run');
      const written = candidates(1, 3, { pipeline, runId });
      return { ledger, pipeline, runId, written };
    });
    const results = await Promise.all(
      pages.map(async (p) => {
        await p.ledger.startRun({ runId: p.runId, pipeline: p.pipeline, mode: 'incremental' });
        return p.ledger.commitPage({
          pipeline: p.pipeline,
          runId: p.runId,
          checkpoint: encodeKeyPosition({ cursor: null, key: 'k' }),
          rowsRead: p.written.length,
          candidates: p.written,
          quarantined: [],
        });
      }),
    );
    const raw = rawKnex(database.url);
    try {
      const contexts = await raw('version_contexts').count({ n: '*' }).first();
      expect(Number(contexts?.n)).toBe(1);
    } finally {
      await raw.destroy();
    }
    for (const [i, p] of pages.entries()) {
      const ids = (results[i]?.created ?? []).map((c) => c.versionId);
      const versions = await p.ledger.getVersions(ids);
      expect(versions.map((v) => v.payload)).toEqual(p.written.map((c) => c.build(1)));
    }
  });
});
