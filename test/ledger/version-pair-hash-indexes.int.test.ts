/**
 * Migration 056 (PostgreSQL) on a ledger written before it: a version's (license id, version) pair
 * is kept unique by an exclusion constraint over a hash of the pair, and a license's versions are
 * found through a hash index of `license_id`, where one B-tree did both. A pair already taken is
 * refused, by a page as a retryable `PageLicenseWrittenMeanwhile` (test
 * commit-page-written-meanwhile) and by any other insert; another version of the license, or the
 * same version of another, is not. Pages read their licenses' latest versions through the new
 * index (nothing is written again for rows unchanged), before and after down and up again.
 */
import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Ledger } from '../../ledger/ledger.js';
import { MIGRATIONS } from '../../ledger/migrate.js';
import { openLedger } from '../../ledger/open-ledger.js';
import { postgresBackend, quietLogger, type TestDatabase } from './backends.js';
import { candidate, candidates, commitOnePage } from './fixtures.js';
import { rawKnex, undoMigrationsSince } from './raw-knex.js';

const M056 = MIGRATIONS.find((m) => m.name === '056-version-pair-hash-indexes');
const PIPELINE = 'm056';

describe('migration 056, the version pair kept unique by hash (postgres)', () => {
  let database: TestDatabase;
  let ledger: Ledger;
  let raw: Knex;
  const older = candidates(1, 3, { pipeline: PIPELINE });

  /** The indexes of license_versions, by name, with their access method. */
  async function indexes(): Promise<Record<string, string>> {
    const res = await raw.raw(
      `select c.relname as name, am.amname as method
         from pg_index x join pg_class c on c.oid = x.indexrelid join pg_am am on am.oid = c.relam
        where x.indrelid = 'license_versions'::regclass`,
    );
    return Object.fromEntries(
      (res.rows as { name: string; method: string }[]).map((r) => [r.name, r.method]),
    );
  }

  /**
   * Inserts a copy of the row of (license, version) under `version` instead, its identifier a text
   * of its own: the error's code, or 'inserted'.
   */
  async function copyAs(licenseId: string, from: number, version: number): Promise<string> {
    try {
      await raw.raw(
        `insert into license_versions (license_id, version, pipeline, identifier, content_hash, status, operation,
                                       payload, lineage, run_id, created_at)
         select license_id, ?, pipeline, license_id || '.' || ? || '.T', content_hash, status, operation, payload,
                lineage, run_id, created_at
           from license_versions where license_id = ? and version = ?`,
        [version, String(version), licenseId, from],
      );
      return 'inserted';
    } catch (e) {
      return String((e as { code?: unknown }).code);
    }
  }

  beforeAll(async () => {
    database = await postgresBackend.create();
    ledger = await openLedger(database.url, { logger: quietLogger });
    expect((await commitOnePage(ledger, PIPELINE, randomUUID(), older)).created).toHaveLength(3);
    await ledger.close();
    // The schema of the release before, over the versions written, then upgraded by the next open.
    raw = rawKnex(database.url);
    await undoMigrationsSince(raw, '056-version-pair-hash-indexes');
    ledger = await openLedger(database.url, { logger: quietLogger });
  });

  afterAll(async () => {
    await raw?.destroy();
    await ledger?.close();
    await database?.dispose();
  });

  it('replaces the B-tree of (license_id, version) by two hash indexes', async () => {
    const now = await indexes();
    expect(now).toMatchObject({
      license_versions_license_hash_idx: 'hash',
      license_versions_license_version_excl: 'hash',
    });
    expect(now).not.toHaveProperty('license_versions_license_version_uq');
  });

  it('refuses a pair already taken, and takes another version or another license', async () => {
    const [a, b] = older.map((c) => c.licenseId) as [string, string];
    expect(await copyAs(a, 1, 1)).toBe('23P01');
    expect(await copyAs(b, 1, 1)).toBe('23P01');
    expect(await copyAs(a, 1, 2)).toBe('inserted');
    expect(await copyAs(a, 1, 2)).toBe('23P01');
    // A pair whose text starts as a taken one's (`…/11` against `…/1`) is another pair.
    expect(await copyAs(a, 1, 11)).toBe('inserted');
  });

  it("reads each license's latest version through the index: unchanged rows write nothing", async () => {
    const third = older[2] ?? candidate({ n: 3, pipeline: PIPELINE });
    const again = await commitOnePage(ledger, PIPELINE, randomUUID(), [third]);
    expect([again.created.length, again.unchanged]).toEqual([0, 1]);
    const changed = await commitOnePage(ledger, PIPELINE, randomUUID(), [
      { ...third, contentHash: 'hash:b:valid' },
    ]);
    expect(changed.created).toMatchObject([{ licenseId: third.licenseId, version: 2 }]);
  });

  it('down puts the B-tree back, with its unique violation, and up again the hash indexes', async () => {
    if (!M056) throw new Error('migration 056 not listed');
    const [a] = older.map((c) => c.licenseId) as [string];
    await ledger.close();
    await M056.down(raw);
    expect(await indexes()).toMatchObject({ license_versions_license_version_uq: 'btree' });
    expect(await indexes()).not.toHaveProperty('license_versions_license_hash_idx');
    expect(await copyAs(a, 1, 1)).toBe('23505');
    await M056.up(raw);
    expect(await copyAs(a, 1, 1)).toBe('23P01');
    ledger = await openLedger(database.url, { logger: quietLogger });
    const third = older[2]?.licenseId as string;
    const latest = await ledger.versionPage({ afterVersionId: 0, limit: 20, pipeline: PIPELINE });
    expect(latest.filter((v) => v.licenseId === third).map((v) => v.version)).toEqual([1, 2]);
  });
});
