/**
 * Migration 029: on PostgreSQL a license's versions are found through a hash index on `license_id`,
 * and a (license, version) pair is held unique by a hash exclusion constraint, in place of the
 * unique B-tree on `(license_id, version)`. A second row of a pair is still refused, on an upgraded
 * ledger too; the latest-version join goes through the index; undone, the unique B-tree is back.
 * SQLite keeps its unique index.
 */
import type { Knex } from 'knex';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MIGRATIONS } from '../../ledger/migrate.js';
import { openLedger } from '../../ledger/open-ledger.js';
import { BACKENDS, postgresBackend, quietLogger, type TestDatabase } from './backends.js';
import { rawKnex } from './raw-knex.js';

const M029 = MIGRATIONS.find((m) => m.name === '029-license-versions-hash');

const rowsOf = <T>(res: unknown): T[] => (Array.isArray(res) ? res : (res as { rows: T[] }).rows);

const NOW = '2026-01-01T00:00:00.000Z';
const licenseId = (n: number) => `1.2.156.3005.2.11370200MB12345674001.11370211MB12345672.SERIAL${n}`;

async function addLicense(k: Knex, n: number): Promise<void> {
  await k('licenses').insert({
    license_id: licenseId(n),
    pipeline: 'p',
    source_key: String(n),
    latest_version: 1,
    content_hash: '',
    status: 'valid',
    created_at: NOW,
    updated_at: NOW,
  });
}

function addVersion(k: Knex, n: number, version: number): Promise<unknown> {
  return k('license_versions').insert({
    license_id: licenseId(n),
    version,
    pipeline: 'p',
    identifier: '',
    content_hash: 'h'.repeat(64),
    status: 'valid',
    operation: version === 1 ? 'issue' : 'update',
    payload: '{}',
    lineage: '{}',
    run_id: 'run-1',
    created_at: NOW,
  });
}

describe.each(BACKENDS)('migration 029: versions by license through hash indexes ($name)', (backend) => {
  let database: TestDatabase;

  beforeAll(async () => {
    database = await backend.create();
    await (await openLedger(database.url, { logger: quietLogger })).close();
  });
  afterAll(async () => {
    await database?.dispose();
  });

  /** How `license_versions` is indexed on `license_id`: each index's access method and columns. */
  const licenseIndexes = async (raw: Knex): Promise<string[]> => {
    if (backend.name === 'sqlite') {
      const list = rowsOf<{ name: string }>(
        await raw.raw(`select name from pragma_index_list('license_versions')`),
      );
      const out: string[] = [];
      for (const { name } of list) {
        const cols = rowsOf<{ name: string }>(await raw.raw(`select name from pragma_index_info('${name}')`));
        if (cols.some((c) => c.name === 'license_id'))
          out.push(`${name}: ${cols.map((c) => c.name).join(', ')}`);
      }
      return out.sort();
    }
    const res = await raw.raw(
      `select indexname || ': ' || regexp_replace(indexdef, '^.* USING ', '') as def from pg_indexes
        where tablename = 'license_versions' and schemaname = current_schema() and indexdef like '%license_id%'
        order by indexname`,
    );
    return rowsOf<{ def: string }>(res).map((r) => r.def);
  };

  const HASHED = [
    'license_versions_license_idx: hash (license_id)',
    "license_versions_license_version_ex: hash ((((license_id || ':'::text) || (version)::text)))",
  ];
  const BTREE = ['license_versions_license_version_uq: btree (license_id, version)'];

  it('indexes versions by license with hashes on PostgreSQL, and undoes to the unique B-tree', async () => {
    const raw = rawKnex(database.url);
    try {
      if (backend.name === 'sqlite') {
        expect(await licenseIndexes(raw)).toEqual([
          'license_versions_license_version_uq: license_id, version',
        ]);
        return;
      }
      expect(await licenseIndexes(raw)).toEqual(HASHED);
      await M029?.down(raw);
      expect(await licenseIndexes(raw)).toEqual(BTREE);
      await M029?.up(raw);
      expect(await licenseIndexes(raw)).toEqual(HASHED);
    } finally {
      await raw.destroy();
    }
  });

  it('refuses a second row of a (license, version) pair, on a ledger upgraded with versions in it', async () => {
    const raw = rawKnex(database.url);
    try {
      // Written as the release before 029 wrote them, then upgraded.
      await M029?.down(raw);
      for (const n of [1, 2]) {
        await addLicense(raw, n);
        await addVersion(raw, n, 1);
      }
      await M029?.up(raw);
      await expect(addVersion(raw, 1, 1)).rejects.toThrow(
        backend.name === 'sqlite' ? /UNIQUE constraint failed/ : /license_versions_license_version_ex/,
      );
      // Another version of the license, and the same version of another license, are taken.
      await addVersion(raw, 1, 2);
      await addLicense(raw, 3);
      await addVersion(raw, 3, 1);
      await expect(addVersion(raw, 1, 2)).rejects.toThrow();
      const counts = rowsOf<{ license_id: string; n: unknown }>(
        await raw.raw(
          'select license_id, count(*) as n from license_versions group by license_id order by license_id',
        ),
      );
      expect(counts.map((r) => [r.license_id, Number(r.n)])).toEqual([
        [licenseId(1), 2],
        [licenseId(2), 1],
        [licenseId(3), 1],
      ]);
    } finally {
      await raw.destroy();
    }
  });
});

// What only PostgreSQL has: the exclusion constraint's locking, its text of a pair, the hash index's plan.
describe('migration 029 on PostgreSQL', () => {
  let database: TestDatabase;

  beforeAll(async () => {
    database = await postgresBackend.create();
    await (await openLedger(database.url, { logger: quietLogger })).close();
  });
  afterAll(async () => {
    await database?.dispose();
  });

  it('makes a second writer of a pair wait for the first and refuses it once the first commits', async () => {
    // Two transactions at once, as two processes committing the same page would: the exclusion
    // constraint sees the row in flight, as the unique B-tree did, and nothing is written twice.
    const first = rawKnex(database.url);
    const second = rawKnex(database.url);
    try {
      await addLicense(first, 40);
      const trx = await first.transaction();
      await addVersion(trx, 40, 1);
      let settled = false;
      const racing = addVersion(second, 40, 1).finally(() => {
        settled = true;
      });
      racing.catch(() => undefined);
      await new Promise((r) => setTimeout(r, 500));
      expect(settled).toBe(false);
      await trx.commit();
      await expect(racing).rejects.toMatchObject({ code: '23P01' });
      const n = rowsOf<{ n: unknown }>(
        await first.raw('select count(*) as n from license_versions where license_id = ?', [licenseId(40)]),
      );
      expect(Number(n[0]?.n)).toBe(1);
    } finally {
      await first.destroy();
      await second.destroy();
    }
  });

  it('takes license ids holding colons, whose text with the version cannot meet another pair', async () => {
    // The version is an integer, whose text has no colon: the last colon of `license_id:version`
    // divides it one way only, so `K:1` version 1 and `K` version 11 stay two pairs.
    const raw = rawKnex(database.url);
    try {
      for (const [id, version] of [
        ['K:1', 1],
        ['K', 11],
        ['K:11', 1],
        ['K', 1],
      ] as const) {
        await raw('licenses')
          .insert({
            license_id: id,
            pipeline: 'p',
            source_key: `colon-${id}-${version}`,
            latest_version: version,
            content_hash: '',
            status: 'valid',
            created_at: NOW,
            updated_at: NOW,
          })
          .onConflict('license_id')
          .ignore();
        await raw('license_versions').insert({
          license_id: id,
          version,
          pipeline: 'p',
          identifier: '',
          content_hash: '',
          status: 'valid',
          operation: 'issue',
          payload: '{}',
          lineage: '{}',
          run_id: 'run-1',
          created_at: NOW,
        });
      }
      const n = rowsOf<{ n: unknown }>(
        await raw.raw(`select count(*) as n from license_versions where license_id in ('K', 'K:1', 'K:11')`),
      );
      expect(Number(n[0]?.n)).toBe(4);
    } finally {
      await raw.destroy();
    }
  });

  it('joins a license to its latest version through the hash index', async () => {
    const raw = rawKnex(database.url);
    try {
      // The shape of every latest-version join (ledger/license-rows.ts loadLatest and the others), on
      // a table too small for any plan to prefer an index by itself.
      const plan = await raw.transaction(async (trx) => {
        await trx.raw('set local enable_seqscan = off');
        return rowsOf<{ 'QUERY PLAN': string }>(
          await trx.raw(
            `explain select v.content_hash from licenses l
               join license_versions v on v.license_id = l.license_id and v.version = l.latest_version
              where l.license_id in (?, ?)`,
            [licenseId(1), licenseId(2)],
          ),
        );
      });
      expect(plan.map((p) => p['QUERY PLAN']).join('\n')).toMatch(/license_versions_license_idx/);
    } finally {
      await raw.destroy();
    }
  });
});
