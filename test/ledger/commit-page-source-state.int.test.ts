import { createHash } from 'node:crypto';
/**
 * What one `commitPage` writes, read back from the ledger's tables with plain SQL: the operation
 * of each status change (docs/lifecycle.md), the licenses row's number, valid_to and source
 * columns (docs/reconciliation.md "Fingerprints", docs/xml-exports.md: an older record is
 * superseded), holder contacts, the audit entries and the run counts.
 */
import Database from 'better-sqlite3';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LicenseStatus } from '../../catalog/license.js';
import { encodeKeyPosition } from '../../connectors/key-position.js';
import { isLicbridgeError } from '../../core/errors.js';
import type { CommitPageInput, Ledger, VersionCandidate } from '../../ledger/ledger.js';
import { openLedger } from '../../ledger/open-ledger.js';
import { BACKENDS, PG_URL, quietLogger, type TestDatabase } from './backends.js';
import { candidate, uniqueName } from './fixtures.js';

/** md5("m1" U+001F "c1")[0..16), worked with `printf 'm1\x1fc1' | md5sum`: mapping m1, catalog c1. */
const CTX_M1_C1 = 'a6eabba44570caec';
/** The same for mapping m2, catalog c1. */
const CTX_M2_C1 = 'efeafc1e668b7d8d';
/** The same for mapping m1, catalog c2. */
const CTX_M1_C2 = 'd41db6600099f2b8';

type Row = Record<string, unknown>;

interface Reader {
  all(sql: string, params?: unknown[]): Promise<Row[]>;
  /** Counts UPDATEs of the licenses table from now on, whatever changed in the row. */
  countLicenseUpdates(): Promise<() => Promise<number>>;
  close(): Promise<void>;
}

/** A second, plain connection to the test database: `?` placeholders on both backends. */
async function openReader(url: string): Promise<Reader> {
  if (url.startsWith('sqlite://')) {
    const db = new Database(url.slice('sqlite://'.length));
    return {
      async all(sql, params = []) {
        return db.prepare(sql).all(...params) as Row[];
      },
      async countLicenseUpdates() {
        db.exec(`create table if not exists test_license_updates (license_id text);
                 create trigger if not exists test_license_updated after update on licenses
                 begin insert into test_license_updates values (new.license_id); end;
                 delete from test_license_updates;`);
        return async () =>
          Number((db.prepare('select count(*) as n from test_license_updates').get() as { n: number }).n);
      },
      async close() {
        db.close();
      },
    };
  }
  const schema = new URL(url).searchParams.get('schema') ?? 'public';
  const client = new pg.Client({ connectionString: PG_URL });
  await client.connect();
  await client.query(`set search_path to "${schema}"`);
  const all = async (sql: string, params: unknown[] = []) => {
    let i = 0;
    return (
      await client.query(
        sql.replace(/\?/g, () => `$${++i}`),
        params,
      )
    ).rows as Row[];
  };
  return {
    all,
    async countLicenseUpdates() {
      await client.query(`create table if not exists test_license_updates (license_id text)`);
      await client.query(`create or replace function test_log_license_update() returns trigger
                            language plpgsql as $$ begin
                              insert into test_license_updates values (new.license_id); return new;
                            end $$`);
      await client.query(`drop trigger if exists test_license_updated on licenses`);
      await client.query(`create trigger test_license_updated after update on licenses
                            for each row execute function test_log_license_update()`);
      await client.query('delete from test_license_updates');
      return async () => Number((await all('select count(*) as n from test_license_updates'))[0]?.n);
    },
    async close() {
      await client.end();
    },
  };
}

/** Source order as the XML folder source writes it: numbers compared as numbers. */
const byNumber = (a: string, b: string) => Number(a) - Number(b);

describe.each(BACKENDS)('commitPage writes, read back with SQL ($name)', (backend) => {
  let database: TestDatabase;
  let ledger: Ledger;
  let sql: Reader;

  beforeAll(async () => {
    database = await backend.create();
    ledger = await openLedger(database.url, { logger: quietLogger });
    sql = await openReader(database.url);
  });

  afterAll(async () => {
    await sql?.close();
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
      checkpoint: encodeKeyPosition({ cursor: null, key: 'k' }),
      rowsRead: cands.length + quarantined.length,
      candidates: cands,
      quarantined,
      ...over,
    };
  }

  async function licenseRow(licenseId: string): Promise<Row | undefined> {
    const [row] = await sql.all(
      `select latest_version, status, content_hash, source_fp, source_fp_ctx, source_order, valid_to, number
         from licenses where license_id = ?`,
      [licenseId],
    );
    return row && { ...row, latest_version: Number(row.latest_version) };
  }

  async function versionsOf(licenseId: string): Promise<[number, string, string][]> {
    const rows = await sql.all(
      'select version, status, operation from license_versions where license_id = ? order by version',
      [licenseId],
    );
    return rows.map((r) => [Number(r.version), String(r.status), String(r.operation)]);
  }

  async function runCounts(runId: string): Promise<number[]> {
    const [r] = await sql.all(
      'select read_count, created_count, unchanged_count, quarantined_count from runs where run_id = ?',
      [runId],
    );
    return [r?.read_count, r?.created_count, r?.unchanged_count, r?.quarantined_count].map(Number);
  }

  /** A candidate whose lineage names another mapping or catalog version. */
  function under(c: VersionCandidate, mappingVersion: string, catalogVersion: string): VersionCandidate {
    return { ...c, lineage: { ...c.lineage, mappingVersion, catalogVersion } };
  }

  describe('operations of status changes (docs/lifecycle.md)', () => {
    // Changed content each time, so every row is a new version; the operation follows the status.
    const transitions: [LicenseStatus, LicenseStatus, string][] = [
      ['valid', 'moved-out', 'transfer-out'],
      ['suspended', 'suspended', 'update'],
      ['revoked', 'revoked', 'update'],
      ['moved-out', 'moved-out', 'update'],
      ['suspended', 'cancelled', 'cancel'],
      ['suspended', 'expired', 'expire'],
      ['suspended', 'moved-out', 'transfer-out'],
      ['suspended', 'withdrawn', 'update'],
      ['valid', 'suspended', 'suspend'],
      ['suspended', 'valid', 'resume'],
    ];

    it.each(transitions)('%s → %s is stored as operation %s', async (from, to, op) => {
      const pipeline = uniqueName('op');
      const runId = await newRun(pipeline);
      const first = candidate({ n: 1, status: from, pipeline });
      await ledger.commitPage(page(pipeline, runId, { candidates: [first] }));
      await ledger.commitPage(
        page(pipeline, runId, { candidates: [candidate({ n: 1, status: to, content: 'b', pipeline })] }),
      );
      expect(await versionsOf(first.licenseId)).toEqual([
        [1, from, 'issue'],
        [2, to, op],
      ]);
      expect(await licenseRow(first.licenseId)).toMatchObject({ latest_version: 2, status: to });
    });
  });

  it('keeps the latest version number and validTo on the licenses row', async () => {
    const pipeline = uniqueName('cols');
    const runId = await newRun(pipeline);
    const base = candidate({ n: 3, pipeline });
    const dated: VersionCandidate = {
      ...base,
      build: (v) => ({ ...base.build(v), number: 'JY23702110000003', validTo: '2029-06-30' }),
    };
    await ledger.commitPage(page(pipeline, runId, { candidates: [dated] }));
    expect(await licenseRow(base.licenseId)).toMatchObject({
      number: 'JY23702110000003',
      valid_to: '2029-06-30',
    });

    // Reissued long-term (validTo null) under a new number: both columns follow the new version.
    const undated: VersionCandidate = {
      ...base,
      contentHash: 'hash:long-term',
      build: (v) => ({ ...base.build(v), number: 'JY23702110000099', validTo: null }),
    };
    await ledger.commitPage(page(pipeline, runId, { candidates: [undated] }));
    expect(await licenseRow(base.licenseId)).toMatchObject({
      latest_version: 2,
      number: 'JY23702110000099',
      valid_to: null,
    });
  });

  describe('source fingerprints and their context', () => {
    it('stores a new version with its row fingerprint and the context it was mapped under', async () => {
      const pipeline = uniqueName('fp');
      const runId = await newRun(pipeline);
      const withFp = candidate({ n: 1, pipeline });
      const without = candidate({ n: 2, pipeline });
      const otherMapping = under(candidate({ n: 3, pipeline }), 'm2', 'c1');
      const otherCatalog = under(candidate({ n: 4, pipeline }), 'm1', 'c2');
      await ledger.commitPage(
        page(pipeline, runId, {
          candidates: [withFp, without, otherMapping, otherCatalog],
          sourceFingerprints: new Map([
            [withFp.sourceKey, 'fp-1'],
            [otherMapping.sourceKey, 'fp-3'],
            [otherCatalog.sourceKey, 'fp-4'],
          ]),
        }),
      );
      expect(await licenseRow(withFp.licenseId)).toMatchObject({
        source_fp: 'fp-1',
        source_fp_ctx: CTX_M1_C1,
      });
      // No fingerprint for the row: no context either (a context alone would vouch for nothing).
      expect(await licenseRow(without.licenseId)).toMatchObject({ source_fp: null, source_fp_ctx: null });
      expect(await licenseRow(otherMapping.licenseId)).toMatchObject({ source_fp_ctx: CTX_M2_C1 });
      expect(await licenseRow(otherCatalog.licenseId)).toMatchObject({ source_fp_ctx: CTX_M1_C2 });
    });

    it('moves the fingerprint of an unchanged license, and only what moved', async () => {
      const pipeline = uniqueName('fp');
      const runId = await newRun(pipeline);
      const lic = candidate({ n: 1, pipeline });
      const key = lic.sourceKey;
      await ledger.commitPage(
        page(pipeline, runId, {
          candidates: [lic],
          sourceFingerprints: new Map([[key, 'fp-a']]),
          sourceOrders: new Map([[key, '5']]),
          compareOrders: byNumber,
        }),
      );
      const updates = await sql.countLicenseUpdates();

      // The raw row moved (padding): same license, new fingerprint; the order is kept.
      const moved = await ledger.commitPage(
        page(pipeline, runId, { candidates: [lic], sourceFingerprints: new Map([[key, 'fp-b']]) }),
      );
      expect(moved).toMatchObject({ created: [], unchanged: 1, superseded: 0 });
      expect(await licenseRow(lic.licenseId)).toMatchObject({
        latest_version: 1,
        source_fp: 'fp-b',
        source_fp_ctx: CTX_M1_C1,
        source_order: '5',
      });
      expect(await updates()).toBe(1);

      // Same row, same mapping and order: nothing to write.
      await ledger.commitPage(
        page(pipeline, runId, {
          candidates: [lic],
          sourceFingerprints: new Map([[key, 'fp-b']]),
          sourceOrders: new Map([[key, '5']]),
          compareOrders: byNumber,
        }),
      );
      expect(await updates()).toBe(1);

      // Same row under another mapping version: the context moves, the fingerprint stays.
      await ledger.commitPage(
        page(pipeline, runId, {
          candidates: [under(lic, 'm2', 'c1')],
          sourceFingerprints: new Map([[key, 'fp-b']]),
        }),
      );
      expect(await licenseRow(lic.licenseId)).toMatchObject({
        latest_version: 1,
        source_fp: 'fp-b',
        source_fp_ctx: CTX_M2_C1,
        source_order: '5',
      });
      expect(await updates()).toBe(2);

      // A page without fingerprints (a source that gives none) leaves the stored one alone.
      await ledger.commitPage(page(pipeline, runId, { candidates: [lic] }));
      expect(await licenseRow(lic.licenseId)).toMatchObject({ source_fp: 'fp-b', source_fp_ctx: CTX_M2_C1 });
      expect(await updates()).toBe(2);
    });

    it('moves the fingerprints of several unchanged licenses of one page, each its own', async () => {
      const pipeline = uniqueName('fp');
      const runId = await newRun(pipeline);
      const lics = [1, 2, 3].map((n) => candidate({ n, pipeline }));
      const fps = (tag: string) => new Map(lics.map((c, i) => [c.sourceKey, `${tag}-${i + 1}`]));
      await ledger.commitPage(page(pipeline, runId, { candidates: lics, sourceFingerprints: fps('old') }));
      const result = await ledger.commitPage(
        page(pipeline, runId, { candidates: lics, sourceFingerprints: fps('new') }),
      );
      expect(result).toMatchObject({ created: [], unchanged: 3 });
      const rows = await sql.all(
        'select source_key, source_fp, source_fp_ctx from licenses where pipeline = ? order by source_key',
        [pipeline],
      );
      expect(rows.map((r) => [r.source_key, r.source_fp, r.source_fp_ctx])).toEqual([
        [lics[0]?.sourceKey, 'new-1', CTX_M1_C1],
        [lics[1]?.sourceKey, 'new-2', CTX_M1_C1],
        [lics[2]?.sourceKey, 'new-3', CTX_M1_C1],
      ]);
    });

    it('moves the order of an unchanged license without touching its fingerprint', async () => {
      const pipeline = uniqueName('ord');
      const runId = await newRun(pipeline);
      const lic = candidate({ n: 1, pipeline });
      const key = lic.sourceKey;
      await ledger.commitPage(
        page(pipeline, runId, {
          candidates: [lic],
          sourceFingerprints: new Map([[key, 'fp-a']]),
          sourceOrders: new Map([[key, '5']]),
          compareOrders: byNumber,
        }),
      );
      const updates = await sql.countLicenseUpdates();
      // A newer record that says the same: the order moves, no version; no fingerprint given.
      const result = await ledger.commitPage(
        page(pipeline, runId, {
          candidates: [lic],
          sourceOrders: new Map([[key, '7']]),
          compareOrders: byNumber,
        }),
      );
      expect(result).toMatchObject({ created: [], unchanged: 1, superseded: 0 });
      expect(await licenseRow(lic.licenseId)).toMatchObject({
        latest_version: 1,
        source_fp: 'fp-a',
        source_fp_ctx: CTX_M1_C1,
        source_order: '7',
      });
      expect(await updates()).toBe(1);
      // The same order again: nothing to write.
      await ledger.commitPage(
        page(pipeline, runId, {
          candidates: [lic],
          sourceOrders: new Map([[key, '7']]),
          compareOrders: byNumber,
        }),
      );
      expect(await updates()).toBe(1);
    });
  });

  describe('an older record does not overwrite a newer one (docs/xml-exports.md)', () => {
    it('counts an older record superseded and unchanged, and writes nothing for it', async () => {
      const pipeline = uniqueName('sup');
      const runId = await newRun(pipeline);
      const revoked = candidate({ n: 1, status: 'revoked', content: 'new', pipeline });
      const key = revoked.sourceKey;
      await ledger.commitPage(
        page(pipeline, runId, {
          candidates: [revoked],
          sourceFingerprints: new Map([[key, 'fp-new']]),
          sourceOrders: new Map([[key, '20']]),
          compareOrders: byNumber,
          // Mapped and quarantined in one page (two records of the key): the record stays open.
          quarantined: [{ sourceKey: key, reasons: [{ code: 'LB_MAP_DATE', message: 'bad date' }] }],
        }),
      );
      const runId2 = await newRun(pipeline);
      const audited = (await sql.all('select seq from audit_log')).length;
      // A late file: the key's record from before the revocation, still valid, with a contact.
      const stale: VersionCandidate = {
        ...candidate({ n: 1, status: 'valid', content: 'old', pipeline }),
        contact: { phone: '13800138000' },
      };
      const result = await ledger.commitPage(
        page(pipeline, runId2, {
          candidates: [stale],
          sourceFingerprints: new Map([[key, 'fp-old']]),
          sourceOrders: new Map([[key, '9']]),
          compareOrders: byNumber,
        }),
      );
      expect(result).toEqual({ created: [], unchanged: 1, superseded: 1, quarantined: 0 });
      expect(await licenseRow(revoked.licenseId)).toMatchObject({
        latest_version: 1,
        status: 'revoked',
        source_fp: 'fp-new',
        source_order: '20',
      });
      expect(await runCounts(runId2)).toEqual([1, 0, 1, 0]);
      // Its contact is not written, and the key's open quarantine record stays open.
      expect(
        await sql.all('select * from holder_contacts where license_id = ?', [revoked.licenseId]),
      ).toEqual([]);
      const open = await sql.all(
        'select source_key from quarantine where pipeline = ? and resolved_at is null',
        [pipeline],
      );
      expect(open.map((r) => r.source_key)).toEqual([key]);
      // Only the page's `read` entry is audited.
      const entries = await sql.all('select action from audit_log order by seq');
      expect(entries.slice(audited).map((e) => e.action)).toEqual(['read']);
    });

    it('takes a record of the same or a later order as current', async () => {
      const pipeline = uniqueName('sup');
      const runId = await newRun(pipeline);
      const lic = candidate({ n: 1, pipeline });
      const key = lic.sourceKey;
      const orders = (o: string) => ({ sourceOrders: new Map([[key, o]]), compareOrders: byNumber });
      await ledger.commitPage(page(pipeline, runId, { candidates: [lic], ...orders('10') }));
      // The same record re-read under a changed mapping: a new version, not superseded.
      const same = await ledger.commitPage(
        page(pipeline, runId, { candidates: [candidate({ n: 1, content: 'b', pipeline })], ...orders('10') }),
      );
      expect(same).toMatchObject({ unchanged: 0, superseded: 0 });
      // A correction: a later record with changed content.
      const later = await ledger.commitPage(
        page(pipeline, runId, {
          candidates: [candidate({ n: 1, status: 'suspended', content: 'c', pipeline })],
          ...orders('11'),
        }),
      );
      expect(later).toMatchObject({ unchanged: 0, superseded: 0 });
      // A source that gives no order for this row: current, whatever is stored.
      const unordered = await ledger.commitPage(
        page(pipeline, runId, {
          candidates: [candidate({ n: 1, content: 'd', pipeline })],
          sourceOrders: new Map(),
          compareOrders: byNumber,
        }),
      );
      expect(unordered).toMatchObject({ unchanged: 0, superseded: 0 });
      expect(await versionsOf(lic.licenseId)).toEqual([
        [1, 'valid', 'issue'],
        [2, 'valid', 'update'],
        [3, 'suspended', 'suspend'],
        [4, 'valid', 'resume'],
      ]);
      // A new version stores the order it was read with (none, last).
      expect(await licenseRow(lic.licenseId)).toMatchObject({ latest_version: 4, source_order: null });
      expect(await runCounts(runId)).toEqual([4, 4, 0, 0]);
    });

    it('stores the order of a new license, and supersedes against it in a later page', async () => {
      const pipeline = uniqueName('sup');
      const runId = await newRun(pipeline);
      const lic = candidate({ n: 1, status: 'cancelled', content: 'x', pipeline });
      const key = lic.sourceKey;
      await ledger.commitPage(
        page(pipeline, runId, {
          candidates: [lic],
          sourceOrders: new Map([[key, '3']]),
          compareOrders: byNumber,
        }),
      );
      expect(await licenseRow(lic.licenseId)).toMatchObject({ source_order: '3', source_fp: null });
      const older = await ledger.commitPage(
        page(pipeline, runId, {
          candidates: [candidate({ n: 1, pipeline })],
          sourceOrders: new Map([[key, '2']]),
          compareOrders: byNumber,
        }),
      );
      expect(older).toMatchObject({ created: [], unchanged: 1, superseded: 1 });
      expect(await versionsOf(lic.licenseId)).toEqual([[1, 'cancelled', 'issue']]);
    });
  });

  describe('holder contacts', () => {
    it('writes the contacts of mapped candidates, beside the license', async () => {
      const pipeline = uniqueName('contact');
      const runId = await newRun(pipeline);
      const a: VersionCandidate = { ...candidate({ n: 1, pipeline }), contact: { phone: '13800138000' } };
      const b: VersionCandidate = { ...candidate({ n: 2, pipeline }), contact: { appUserId: 'u-2' } };
      const none = candidate({ n: 3, pipeline });
      await ledger.commitPage(page(pipeline, runId, { candidates: [a, b, none] }));
      const rows = await sql.all(
        'select license_id, pipeline, contact from holder_contacts where pipeline = ? order by license_id',
        [pipeline],
      );
      expect(rows.map((r) => [r.license_id, r.pipeline, JSON.parse(String(r.contact))])).toEqual([
        [a.licenseId, pipeline, { phone: '13800138000' }],
        [b.licenseId, pipeline, { appUserId: 'u-2' }],
      ]);
      // An unchanged license still takes its holder's new contact: the contact is no part of a version.
      await ledger.commitPage(
        page(pipeline, runId, { candidates: [{ ...a, contact: { phone: '13900139000' } }] }),
      );
      const [row] = await sql.all('select contact from holder_contacts where license_id = ?', [a.licenseId]);
      expect(JSON.parse(String(row?.contact))).toEqual({ phone: '13900139000' });
    });
  });

  it('audits the page read and its new versions, a batch of one action in one entry, and counts the run', async () => {
    const pipeline = uniqueName('audit');
    const runId = await newRun(pipeline);
    const lic = candidate({ n: 1, pipeline });
    await ledger.commitPage(page(pipeline, runId, { candidates: [lic] }));
    const before = (await sql.all('select seq from audit_log')).length;
    const changed = candidate({ n: 1, status: 'revoked', content: 'b', pipeline });
    const fresh = candidate({ n: 2, pipeline });
    const result = await ledger.commitPage(
      page(pipeline, runId, {
        rowsRead: 5,
        candidates: [changed, fresh, candidate({ n: 3, pipeline }), lic],
        quarantined: [{ sourceKey: 'Q-1', reasons: [{ code: 'LB_MAP_DATE', message: 'bad date' }] }],
      }),
    );
    expect(result.unchanged).toBe(0);
    const entries = (
      await sql.all('select actor, action, license_id, version, digest, detail from audit_log order by seq')
    ).slice(before);
    const actor = `pipeline:${pipeline}`;
    const id = (licenseId: string, version: number) =>
      result.created.find((c) => c.licenseId === licenseId && c.version === version)?.versionId;
    const third = candidate({ n: 3, pipeline }).licenseId;
    expect(
      entries.map((e) => ({ ...e, version: e.version ?? null, detail: JSON.parse(String(e.detail)) })),
    ).toEqual([
      {
        actor,
        action: 'read',
        license_id: null,
        version: null,
        digest: null,
        detail: { runId, rows: 5, quarantined: 1 },
      },
      {
        actor,
        action: 'revoke',
        license_id: changed.licenseId,
        version: 2,
        digest: 'hash:b:revoked',
        detail: { runId, versionId: id(changed.licenseId, 2) },
      },
      // The two new licenses share one entry: their version ids as ranges, and SM3 over each
      // act's [version id, license, version, content hash] in version-id order (docs/audit.md).
      {
        actor,
        action: 'issue',
        license_id: null,
        version: null,
        digest: createHash('sm3')
          .update(
            JSON.stringify([
              [id(fresh.licenseId, 1), fresh.licenseId, 1, 'hash:a:valid'],
              [id(third, 1), third, 1, 'hash:a:valid'],
            ]),
          )
          .digest('hex'),
        detail: {
          runId,
          versions: `${id(fresh.licenseId, 1)}-${id(third, 1)}`,
          count: 2,
        },
      },
      // The last row brings license 1 back to its first content: version 3, an update of a revoked one.
      {
        actor,
        action: 'update',
        license_id: lic.licenseId,
        version: 3,
        digest: 'hash:a:valid',
        detail: { runId, versionId: id(lic.licenseId, 3) },
      },
    ]);
    // Read 1 + 5; created 1 + 4; quarantined 1.
    expect(await runCounts(runId)).toEqual([6, 5, 0, 1]);
  });

  it('resolves the open quarantine records of keys that now map cleanly', async () => {
    const pipeline = uniqueName('resolve');
    const run1 = await newRun(pipeline);
    const lic = candidate({ n: 1, pipeline });
    const other = candidate({ n: 2, pipeline });
    await ledger.commitPage(
      page(pipeline, run1, {
        quarantined: [
          { sourceKey: lic.sourceKey, reasons: [{ code: 'LB_MAP_DATE', message: 'bad date' }] },
          { sourceKey: other.sourceKey, reasons: [{ code: 'LB_MAP_DATE', message: 'bad date' }] },
        ],
      }),
    );
    const run2 = await newRun(pipeline);
    await ledger.commitPage(page(pipeline, run2, { candidates: [lic] }));
    const rows = await sql.all(
      'select source_key, resolved_at from quarantine where pipeline = ? order by source_key',
      [pipeline],
    );
    expect(rows.map((r) => [r.source_key, r.resolved_at !== null])).toEqual([
      [lic.sourceKey, true],
      [other.sourceKey, false],
    ]);
  });

  it('names the operation and the run in its errors', async () => {
    const pipeline = uniqueName('err');
    const notStarted = await ledger
      .commitPage(page(pipeline, 'run-never-started', { candidates: [candidate({ n: 1, pipeline })] }))
      .catch((e: unknown) => e);
    expect(isLicbridgeError(notStarted) && [notStarted.message, notStarted.context]).toEqual([
      'ledger: commitPage failed: run run-never-started was not started',
      { pipeline, runId: 'run-never-started' },
    ]);
    // A candidate's own failure inside the transaction is reported as this operation's.
    const runId = await newRun(pipeline);
    const broken: VersionCandidate = {
      ...candidate({ n: 2, pipeline }),
      build: () => {
        throw new Error('mapping exploded');
      },
    };
    const failed = await ledger
      .commitPage(page(pipeline, runId, { candidates: [broken] }))
      .catch((e: unknown) => e);
    expect(failed).toMatchObject({ message: 'ledger: commitPage failed: mapping exploded' });
  });
});
