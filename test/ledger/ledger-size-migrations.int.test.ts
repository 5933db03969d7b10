/**
 * The ledger-size migrations (016 on) on a ledger written under the schema before them: the
 * lineage text loses the `pipeline` and `runId` its row's columns hold (and keeps one that
 * differs) and keeps the rest under short names, deliveries lose the license id and version their version row holds, every version and
 * delivery reads back as it was written, the two indexes no query uses are gone, and the audit
 * chain, whose entries the migrations never touch, still verifies end to end.
 */
import type { Knex } from 'knex';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeKeyPosition } from '../../connectors/key-position.js';
import type { Ledger, StoredDelivery, StoredSignature, StoredVersion } from '../../ledger/ledger.js';
import { MIGRATIONS } from '../../ledger/migrate.js';
import { openLedger } from '../../ledger/open-ledger.js';
import { BACKENDS, quietLogger, type TestDatabase } from './backends.js';
import { candidate, candidates, signature, uniqueName } from './fixtures.js';
import { rawKnex } from './raw-knex.js';

async function indexNames(k: Knex, url: string): Promise<string[]> {
  if (url.startsWith('sqlite://')) {
    const rows: { name: string }[] = await k.raw("select name from sqlite_master where type = 'index'");
    return rows.map((r) => r.name);
  }
  const schema = new URL(url).searchParams.get('schema');
  const res: { rows: { indexname: string }[] } = await k.raw(
    'select indexname from pg_indexes where schemaname = ?',
    [schema],
  );
  return res.rows.map((r) => r.indexname);
}

async function storedLineages(k: Knex): Promise<Record<string, unknown>[]> {
  const rows: { lineage: string }[] = await k('license_versions').select('lineage').orderBy('version_id');
  return rows.map((r) => JSON.parse(r.lineage) as Record<string, unknown>);
}

const DROPPED = ['audit_log_license_idx', 'deliveries_license_target_version_idx'];
const CATALOG_SHA = '4e88ad07b0944a4da6002cf98eccdb0bf582c2d9820f6dd461341c369124cca2';
const MAPPING_SHA = '17d224cae95d221857609f74365a192f5ca8dba7bb7365a489b3fc68f69fbcb7';

/** The migrations this file tests, newest first: undone in this order, they give the schema before them. */
const SIZE_MIGRATIONS = MIGRATIONS.slice(MIGRATIONS.findIndex((m) => m.name === '016-ledger-size')).reverse();

/** SQLite: each table's CREATE text, lower case; empty on PostgreSQL. */
async function sqliteTables(k: Knex, url: string): Promise<Record<string, string>> {
  if (!url.startsWith('sqlite://')) return {};
  const rows: { name: string; sql: string }[] = await k.raw(
    "select name, sql from sqlite_master where type = 'table'",
  );
  return Object.fromEntries(rows.map((r) => [r.name, r.sql.toLowerCase().replaceAll('`', '')]));
}

async function columnNames(k: Knex, table: string): Promise<string[]> {
  return Object.keys(await k(table).columnInfo());
}

describe.each(BACKENDS)('ledger-size migrations on a ledger written before them ($name)', (backend) => {
  let database: TestDatabase;
  let ledger: Ledger;
  let raw: Knex;
  const pipeline = uniqueName('m016');
  const runId = uniqueName('run');
  let written: StoredVersion[] = [];
  let signed: StoredSignature[] = [];
  let delivered: StoredDelivery[] = [];
  let before: {
    lineages: Record<string, unknown>[];
    indexes: string[];
    deliveryColumns: string[];
    deliveryVersions: { delivery_key: string; license_id: string; version: unknown }[];
    tables: Record<string, string>;
  };

  beforeAll(async () => {
    database = await backend.create();
    ledger = await openLedger(database.url, { logger: quietLogger });
    await ledger.startRun({ runId, pipeline, mode: 'incremental' });
    // Two versions whose lineage names the row's run, one whose lineage names another run, one
    // whose catalog and mapping versions are SHA-256 hex, as the loader gives them.
    const plain = candidate({ n: 4, pipeline, runId });
    const hashedVersions = {
      ...plain,
      lineage: { ...plain.lineage, catalogVersion: CATALOG_SHA, mappingVersion: MAPPING_SHA },
    };
    const result = await ledger.commitPage({
      pipeline,
      runId,
      checkpoint: encodeKeyPosition({ cursor: null, key: 'k' }),
      rowsRead: 4,
      candidates: [
        ...candidates(1, 2, { pipeline, runId }),
        ...candidates(3, 1, { pipeline, runId: 'an-earlier-run' }),
        hashedVersions,
      ],
      quarantined: [],
    });
    const ids = result.created.map((c) => c.versionId);
    await ledger.recordSignatures(ids.map((id) => signature(id, 'seal-m016')));
    const deliveries = await ledger.ensureDeliveries(ids, 'province');
    await ledger.recordDeliveryOutcomes(deliveries.map((d) => ({ key: d.key, state: 'accepted' as const })));
    written = await ledger.getVersions(ids);
    signed = await ledger.getSignatures(ids);
    delivered = await ledger.getDeliveries(deliveries.map((d) => d.key));
    await ledger.close();

    // Back to the schema before 016, as a ledger written by the previous release holds it.
    raw = rawKnex(database.url);
    for (const m of SIZE_MIGRATIONS) {
      await m.down(raw);
      await raw('ledger_migrations').where({ name: m.name }).delete();
    }
    before = {
      lineages: await storedLineages(raw),
      indexes: await indexNames(raw, database.url),
      deliveryColumns: await columnNames(raw, 'deliveries'),
      deliveryVersions: await raw('deliveries')
        .select('delivery_key', 'license_id', 'version')
        .orderBy('version_id'),
      tables: await sqliteTables(raw, database.url),
    };
    // The upgrade: opening the ledger runs them again.
    ledger = await openLedger(database.url, { logger: quietLogger });
  });

  afterAll(async () => {
    await raw?.destroy();
    await ledger?.close();
    await database?.dispose();
  });

  it('starts from the previous form: every lineage whole, both indexes there', () => {
    for (const l of before.lineages)
      expect(Object.keys(l)).toEqual(
        expect.arrayContaining(['pipeline', 'runId', 'source', 'catalogVersion']),
      );
    expect(before.lineages[3]).toMatchObject({ catalogVersion: CATALOG_SHA, mappingVersion: MAPPING_SHA });
    expect(before.indexes).toEqual(expect.arrayContaining(DROPPED));
    expect(before.deliveryColumns).toEqual(expect.arrayContaining(['delivery_key', 'license_id', 'version']));
    expect(before.deliveryVersions.map((d) => [d.delivery_key, d.license_id, Number(d.version)])).toEqual(
      delivered.map((d) => [d.key, d.licenseId, d.version]),
    );
  });

  it('keeps deliveries by version id and target alone, and reads them back as they were written', async () => {
    const columns = await columnNames(raw, 'deliveries');
    for (const gone of ['license_id', 'version', 'delivery_key']) expect(columns).not.toContain(gone);
    expect(columns).toEqual(expect.arrayContaining(['version_id', 'target', 'state', 'claim_owner']));
    expect(delivered.map((d) => d.state)).toEqual(['accepted', 'accepted', 'accepted', 'accepted']);
    expect(await ledger.getDeliveries(delivered.map((d) => d.key))).toEqual(delivered);
  });

  it('stores no pipeline or run the row holds, keeps a run that differs, the rest under short names', async () => {
    const lineages = await storedLineages(raw);
    expect(lineages.map((l) => [l.pipeline, l.runId])).toEqual([
      [undefined, undefined],
      [undefined, undefined],
      [undefined, 'an-earlier-run'],
      [undefined, undefined],
    ]);
    expect(lineages[0]).toEqual({ s: 'market-food', k: `${pipeline}-1`, c: 'c1', m: 'm1' });
    // A SHA-256 in hex as its 32 bytes: 43 characters of base64url instead of 64.
    expect(lineages[3]).toEqual({
      s: 'market-food',
      k: `${pipeline}-4`,
      C: Buffer.from(CATALOG_SHA, 'hex').toString('base64url'),
      M: Buffer.from(MAPPING_SHA, 'hex').toString('base64url'),
    });
  });

  it('reads every version back as it was written, lineage field order included', async () => {
    const read = await ledger.getVersions(written.map((v) => v.versionId));
    expect(read).toEqual(written);
    expect(read.map((v) => v.lineage.runId)).toEqual([runId, runId, 'an-earlier-run', runId]);
    expect(read[3]?.lineage).toMatchObject({ catalogVersion: CATALOG_SHA, mappingVersion: MAPPING_SHA });
    expect(Object.keys(read[0]?.lineage ?? {})).toEqual([
      'pipeline',
      'source',
      'sourceKey',
      'runId',
      'catalogVersion',
      'mappingVersion',
    ]);
  });

  it('drops the two indexes no query uses', async () => {
    const indexes = await indexNames(raw, database.url);
    for (const name of DROPPED) expect(indexes).not.toContain(name);
    // Deliveries by state: on PostgreSQL the open rows' index of migration 033 stands for it.
    const byState = backend.name === 'postgres' ? 'deliveries_open_idx' : 'deliveries_state_created_idx';
    expect(indexes).toEqual(expect.arrayContaining(['audit_log_at_idx', byState]));
  });

  it('makes the audit sequence the row id on SQLite, and leaves PostgreSQL as it was', async () => {
    if (backend.name === 'postgres') {
      // PostgreSQL's primary keys are indexes either way: the table stays as it was.
      expect(await indexNames(raw, database.url)).toEqual(expect.arrayContaining(['audit_log_pkey']));
      return;
    }
    expect(before.tables.audit_log).toContain('seq bigint');
    expect((await sqliteTables(raw, database.url)).audit_log).toContain('seq integer primary key');
  });

  it('reads every signature back as it was written', async () => {
    expect(await ledger.getSignatures(written.map((v) => v.versionId))).toEqual(signed);
    expect(signed).toHaveLength(4);
  });

  it('leaves the audit chain as written: it verifies end to end', async () => {
    const verified = await ledger.verifyAudit();
    expect(verified).toMatchObject({ ok: true });
    // read + one entry each for the 4 versions, their 4 signatures and their 4 deliveries
    expect(verified.entries).toBe(4);
  });
});
