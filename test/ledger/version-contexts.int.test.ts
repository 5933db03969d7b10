/**
 * Migration 026 on both backends: a new version keeps its lineage's source, catalog and mapping
 * versions and its license's type and issuer in `version_contexts`, once for the run, and reads
 * back exactly as written — by the ledger, by the lifecycle tick, and with plain SQL byte for byte;
 * a row written before (whole text, no context) reads the same; down puts the whole text back into
 * every row, and up again reads the same.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeKeyPosition } from '../../connectors/key-position.js';
import type { Ledger, VersionCandidate } from '../../ledger/ledger.js';
import { lineageColumn } from '../../ledger/lineage-column.js';
import { MIGRATIONS } from '../../ledger/migrate.js';
import { openLedger } from '../../ledger/open-ledger.js';
import { payloadColumn } from '../../ledger/payload-column.js';
import { BACKENDS, quietLogger, type TestDatabase } from './backends.js';
import { candidates, uniqueName } from './fixtures.js';
import { rawKnex } from './raw-knex.js';

const M026 = MIGRATIONS.find((m) => m.name === '026-version-contexts');

describe.each(BACKENDS)('version contexts ($name)', (backend) => {
  let database: TestDatabase;
  let ledger: Ledger;
  const pipeline = uniqueName('ctx');
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
    // Written as a release before 026 did: the whole text, no context.
    const old = candidates(4, 1, { pipeline, runId })[0] as VersionCandidate;
    const raw = rawKnex(database.url);
    try {
      await raw('licenses').insert({
        license_id: old.licenseId,
        pipeline,
        source_key: old.sourceKey,
        latest_version: 1,
        content_hash: old.contentHash,
        status: old.status,
        created_at: new Date().toISOString(),
        updated_at: new Date().toISOString(),
      });
      const [row] = await raw('license_versions')
        .insert({
          license_id: old.licenseId,
          version: 1,
          pipeline,
          identifier: old.build(1).identifier,
          content_hash: old.contentHash,
          status: old.status,
          operation: 'issue',
          payload: payloadColumn(old.build(1)),
          lineage: lineageColumn(old.lineage, pipeline, runId),
          run_id: runId,
          created_at: new Date().toISOString(),
        })
        .returning('version_id');
      ids.push(Number((row as { version_id: unknown }).version_id));
      written.push(old);
    } finally {
      await raw.destroy();
    }
  });
  afterAll(async () => {
    await ledger?.close();
    await database?.dispose();
  });

  async function expectReadsAsWritten(): Promise<void> {
    const versions = await ledger.getVersions(ids);
    expect(versions.map((v) => v.payload)).toEqual(written.map((c) => c.build(1)));
    expect(versions.map((v) => v.lineage)).toEqual(written.map((c) => c.lineage));
    const page = await ledger.versionPage({ afterVersionId: 0, limit: 10, pipeline });
    expect(page.map((v) => v.payload)).toEqual(written.map((c) => c.build(1)));
    expect(page.map((v) => v.lineage)).toEqual(written.map((c) => c.lineage));
  }

  it('keeps the shared text once, and every version reads back as written', async () => {
    const raw = rawKnex(database.url);
    try {
      const rows: { payload: string; lineage: string; context_id: unknown; whole: string }[] = await raw(
        'license_versions as v',
      )
        .leftJoin('version_contexts as c', 'c.context_id', 'v.context_id')
        .select(
          'v.payload',
          'v.lineage',
          'v.context_id',
          raw.raw(
            `case when c.payload is null or c.payload = '' then v.payload else replace(v.payload, '"@":0', c.payload) end as whole`,
          ),
        )
        .orderBy('v.version_id');
      for (const r of rows.slice(0, 3)) {
        expect(r.payload).toContain('"@":0');
        expect(r.payload).not.toContain('食品经营许可证');
        expect(JSON.parse(r.lineage)).not.toHaveProperty('s');
        expect(r.context_id).toBe(rows[0]?.context_id);
      }
      expect(rows[3]?.context_id).toBeNull();
      // The license's JSON text, byte for byte, with plain SQL.
      expect(rows.map((r) => r.whole)).toEqual(written.map((c) => payloadColumn(c.build(1))));
      const contexts = await raw('version_contexts').count({ n: '*' }).first();
      expect(Number(contexts?.n)).toBe(1);
      // The license row keeps no copy of its latest version's hash; a replay still finds it.
      const hashes: { content_hash: string }[] = await raw('licenses')
        .select('content_hash')
        .where({ pipeline })
        .orderBy('license_id');
      expect(hashes.map((h) => h.content_hash)).toEqual(['', '', '', written[3]?.contentHash]);
    } finally {
      await raw.destroy();
    }
    await expectReadsAsWritten();
    const replay = await ledger.commitPage({
      pipeline,
      runId,
      checkpoint: encodeKeyPosition({ cursor: null, key: 'k2' }),
      rowsRead: 4,
      candidates: written,
      quarantined: [],
    });
    expect(replay.created).toEqual([]);
    expect(replay.unchanged).toBe(4);
  });

  it('down writes the whole text back into every row, and up again reads the same', async () => {
    const raw = rawKnex(database.url);
    try {
      await M026?.down(raw);
      const rows: Record<string, unknown>[] = await raw('license_versions').select('*').orderBy('version_id');
      expect(rows.map((r) => r.payload)).toEqual(written.map((c) => payloadColumn(c.build(1))));
      expect(rows.map((r) => JSON.parse(String(r.lineage)))).toEqual(
        written.map((c) => JSON.parse(lineageColumn(c.lineage, pipeline, runId))),
      );
      expect(rows.every((r) => !Object.hasOwn(r, 'context_id'))).toBe(true);
      const hashes: { content_hash: string }[] = await raw('licenses')
        .select('content_hash')
        .where({ pipeline })
        .orderBy('license_id');
      expect(hashes.map((h) => h.content_hash)).toEqual(written.map((c) => c.contentHash));
      await M026?.up(raw);
    } finally {
      await raw.destroy();
    }
    await expectReadsAsWritten();
  });
});
