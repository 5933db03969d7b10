/**
 * Migration 044 (ledger/hashed-keys.ts): on PostgreSQL a version's pipeline is indexed by a 64-bit
 * hash of its name with the version id. On a ledger written before it the versions stay, and the
 * lookups of a pipeline's versions find what they found, a pipeline whose name only begins another's
 * included; on PostgreSQL each of them is planned on that index (a lookup naming the text alone
 * could not use it). Undone, the index holds the name again. SQLite keeps its index on the text.
 */
import type { Knex } from 'knex';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pipelineBacklog } from '../../ledger/backlog.js';
import { createDb, type Db } from '../../ledger/db.js';
import { overdueChanges } from '../../ledger/deadlines.js';
import type { Ledger } from '../../ledger/ledger.js';
import { MIGRATIONS } from '../../ledger/migrate.js';
import { openLedger } from '../../ledger/open-ledger.js';
import { unsignedVersionIds } from '../../ledger/signatures.js';
import { countUnsignedVersions, unsignedVersionPage, versionPage } from '../../ledger/signing-queries.js';
import { awaitingSignature } from '../../ledger/status-queries.js';
import { BACKENDS, quietLogger, type TestDatabase } from './backends.js';
import { newVersions, signature, uniqueName } from './fixtures.js';
import { queryPlan, rawKnex } from './raw-knex.js';

const M044 = MIGRATIONS.find((m) => m.name === '044-versions-pipeline-hash-index');
const SINCE_044 = MIGRATIONS.slice(MIGRATIONS.findIndex((m) => m.name === M044?.name)).reverse();
const SEAL = '37021100000044';
const rowsOf = <T>(res: unknown): T[] => (Array.isArray(res) ? res : (res as { rows: T[] }).rows);

async function indexDef(k: Knex, sqlite: boolean): Promise<string> {
  if (sqlite) {
    const cols = rowsOf<{ name: string }>(
      await k.raw("select name from pragma_index_info('license_versions_pipeline_idx')"),
    );
    return cols.map((c) => c.name).join(', ');
  }
  const res = await k.raw(
    "select indexdef from pg_indexes where indexname = 'license_versions_pipeline_idx' and schemaname = current_schema()",
  );
  // The key alone: not its storage settings (migration 053 fills the index whole).
  return String(rowsOf<{ indexdef: string }>(res)[0]?.indexdef ?? '')
    .replace(/^.* USING btree /, '')
    .replace(/ WITH \(.*\)$/, '');
}

describe.each(BACKENDS)('migration 044: versions by the hash of their pipeline ($name)', (backend) => {
  let database: TestDatabase;
  let ledger: Ledger;
  let raw: Knex;
  let db: Db;
  const seen: { sql: string; bindings: readonly unknown[] }[] = [];
  // The second name begins with the first: a lookup of the first must not find the second's.
  const pipeline = uniqueName('m044');
  const other = `${pipeline}x`;
  let ours: number[] = [];
  let theirs: number[] = [];

  beforeAll(async () => {
    database = await backend.create();
    ledger = await openLedger(database.url, { logger: quietLogger });
    ours = await newVersions(ledger, pipeline, 1, 3);
    theirs = await newVersions(ledger, other, 1, 2);
    await ledger.recordSignatures([signature(ours[0] as number, SEAL)]);
    await ledger.close();
    // The schema of the previous release, the versions in it; the upgrade on the next open.
    raw = rawKnex(database.url);
    for (const m of SINCE_044) {
      await m.down(raw);
      await raw('ledger_migrations').where({ name: m.name }).delete();
    }
    ledger = await openLedger(database.url, { logger: quietLogger });
    db = createDb({
      knex: raw,
      dialect: backend.name,
      maxParams: backend.name === 'sqlite' ? 999 : 65_535,
      maxRows: 500,
      log: quietLogger,
      exclusive: (work) => work(),
    });
    raw.on('query', (q: { sql: string; bindings?: readonly unknown[] }) => {
      seen.push({ sql: q.sql, bindings: q.bindings ?? [] });
    });
  });

  afterAll(async () => {
    await raw?.destroy();
    await ledger?.close();
    await database?.dispose();
  });

  it("finds each pipeline's own versions, and none of a pipeline its name only begins", async () => {
    expect(await unsignedVersionIds(db, { sealId: SEAL, pipeline })).toEqual(ours.slice(1));
    expect(await unsignedVersionIds(db, { sealId: SEAL, pipeline: other })).toEqual(theirs);
    expect(await unsignedVersionPage(db, { sealId: SEAL, pipeline, afterVersionId: 0, limit: 10 })).toEqual(
      ours.slice(1),
    );
    expect(await countUnsignedVersions(db, { sealId: SEAL, pipeline })).toBe(2);
    expect(
      (await versionPage(db, { pipeline, afterVersionId: 0, limit: 10 })).map((v) => v.versionId),
    ).toEqual(ours);
    expect(await awaitingSignature(db, pipeline, SEAL)).toBe(2);
    expect(await pipelineBacklog(db, pipeline, SEAL, ['province'])).toEqual({
      unsigned: 2,
      undelivered: { province: 1 },
    });
    const overdue = await overdueChanges(db, {
      pipeline,
      target: 'province',
      createdBefore: new Date(Date.now() + 60_000),
    });
    expect(overdue.count).toBe(3);
    expect(await unsignedVersionIds(db, { sealId: SEAL, pipeline: `${pipeline}y` })).toEqual([]);
  });

  if (backend.name === 'sqlite') {
    it('leaves the SQLite index on the text', async () => {
      expect(await indexDef(raw, true)).toBe('pipeline, version_id');
    });
    return;
  }

  it('indexes the pipeline by its hash, and plans every lookup above on it', async () => {
    expect(await indexDef(raw, false)).toBe('(hashtextextended(pipeline, (0)::bigint), version_id)');
    const lookups = seen.filter((s) => /"v"\."pipeline"/.test(s.sql) && /^select/i.test(s.sql));
    expect(lookups.length).toBeGreaterThanOrEqual(8);
    for (const s of lookups) {
      // The tables are tiny: without a sequential scan made the last resort it is cheapest whatever
      // the indexes.
      const statement = raw.raw(s.sql.replace(/\$\d+/g, '?'), [...s.bindings] as Knex.RawBinding[]);
      const plan = await queryPlan(raw, statement, false);
      expect(plan, s.sql).toContain('license_versions_pipeline_idx');
    }
  });

  it('goes down to the index on the name, and up again', async () => {
    await M044?.down(raw);
    expect(await indexDef(raw, false)).toBe('(pipeline, version_id)');
    await M044?.up(raw);
    expect(await indexDef(raw, false)).toBe('(hashtextextended(pipeline, (0)::bigint), version_id)');
    expect(await unsignedVersionIds(db, { sealId: SEAL, pipeline })).toEqual(ours.slice(1));
  });
});
