/**
 * Migration 055 (ledger/content-hash-column.ts), on both backends: a version's content hash in
 * lowercase hex, as every pipeline computes it, is stored as its bytes in
 * `license_versions.content_hash_bytes`, `content_hash` left ''; any other text stays as it is.
 * Every reader takes the hash as given: the versions read back, a page's check whether a license
 * changed (nothing is written again), a signature left '' where its hash is its version's, the
 * pipeline's licenses, the audit chain. A hash changed by hand in the text reads as changed. On a
 * ledger written before 055 the rows keep their text and read the same; down puts the text back.
 */
import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contentHash } from '../../catalog/canonical.js';
import type { Ledger, VersionCandidate } from '../../ledger/ledger.js';
import { MIGRATIONS } from '../../ledger/migrate.js';
import { openLedger } from '../../ledger/open-ledger.js';
import { BACKENDS, quietLogger, type TestDatabase } from './backends.js';
import { candidate, commitOnePage, signature } from './fixtures.js';
import { rawKnex, undoMigrationsSince } from './raw-knex.js';

const M055 = MIGRATIONS.find((m) => m.name === '055-version-hash-bytes');
// Its triggers on signatures and deliveries read license_versions, which 055's down copies into a
// new table on SQLite: a table they name cannot be dropped and renamed under them.
const M058 = MIGRATIONS.find((m) => m.name === '058-status-counts');
const SEAL = '37021100000055';

/** A candidate with its license's own content hash, 64 lowercase hex digits, as the pipelines give it. */
function hexCandidate(n: number, pipeline: string): VersionCandidate {
  const c = candidate({ n, pipeline });
  return { ...c, contentHash: contentHash(c.build(1)) };
}

describe.each(BACKENDS)('migration 055, version content hashes as bytes ($name)', (backend) => {
  let database: TestDatabase;
  let ledger: Ledger;
  let raw: Knex;
  const older = [1, 2].map((n) => hexCandidate(n, 'm055-old'));
  let olderIds: number[] = [];
  // As every pipeline writes it, in capitals, and a label as the ledger's own fixtures write.
  const newer = [
    hexCandidate(1, 'm055-new'),
    hexCandidate(2, 'm055-new'),
    candidate({ n: 3, pipeline: 'm055-new' }),
  ];
  newer[1] = {
    ...(newer[1] as VersionCandidate),
    contentHash: (newer[1] as VersionCandidate).contentHash.toUpperCase(),
  };
  let newerIds: number[] = [];

  /** Hashes as stored: the text column, and the bytes column in hex (null where none). */
  async function stored(ids: readonly number[]): Promise<[string, string | null][]> {
    const rows: { content_hash: string; content_hash_bytes?: unknown }[] = await raw('license_versions')
      .select('*')
      .whereIn('version_id', [...ids])
      .orderBy('version_id');
    return rows.map((r) => [
      r.content_hash,
      r.content_hash_bytes instanceof Uint8Array ? Buffer.from(r.content_hash_bytes).toString('hex') : null,
    ]);
  }

  async function readHashes(ids: readonly number[]): Promise<string[]> {
    return (await ledger.getVersions(ids)).map((v) => v.contentHash);
  }

  beforeAll(async () => {
    database = await backend.create();
    ledger = await openLedger(database.url, { logger: quietLogger });
    olderIds = (await commitOnePage(ledger, 'm055-old', randomUUID(), older)).created.map((c) => c.versionId);
    await ledger.close();
    // The schema of the previous release, its rows as that release wrote them (hashes as text).
    raw = rawKnex(database.url);
    await undoMigrationsSince(raw, '055-version-hash-bytes');
    ledger = await openLedger(database.url, { logger: quietLogger });
    newerIds = (await commitOnePage(ledger, 'm055-new', randomUUID(), newer)).created.map((c) => c.versionId);
  });

  afterAll(async () => {
    await raw?.destroy();
    await ledger?.close();
    await database?.dispose();
  });

  it('keeps the rows written before as text, and reads them the same', async () => {
    expect(await stored(olderIds)).toEqual(older.map((c) => [c.contentHash, null]));
    expect(await readHashes(olderIds)).toEqual(older.map((c) => c.contentHash));
    expect((await commitOnePage(ledger, 'm055-old', randomUUID(), older)).created).toEqual([]);
  });

  it('stores a lowercase hex hash as its bytes, any other text as it is; each reads back as given', async () => {
    expect(await stored(newerIds)).toEqual([
      ['', newer[0]?.contentHash],
      [newer[1]?.contentHash, null],
      [newer[2]?.contentHash, null],
    ]);
    expect(await readHashes(newerIds)).toEqual(newer.map((c) => c.contentHash));
    // The same page again: each license reads as unchanged, so no version is written.
    const again = await commitOnePage(ledger, 'm055-new', randomUUID(), newer);
    expect([again.created.length, again.unchanged]).toEqual([0, 3]);
    const page = await ledger.pipelineLicensePage('m055-new', '', 10);
    expect(page.map((l) => l.contentHash).sort()).toEqual(newer.map((c) => c.contentHash).sort());
  });

  it("leaves a signature's hash '' where it is its version's, and reads it back", async () => {
    const id = newerIds[0] as number;
    await ledger.recordSignatures([{ ...signature(id, SEAL), contentHash: newer[0]?.contentHash as string }]);
    const [row] = await raw('signatures').where({ version_id: id }).select('content_hash');
    expect(row?.content_hash).toBe('');
    expect((await ledger.getSignatures([id])).map((s) => s.contentHash)).toEqual([newer[0]?.contentHash]);
    expect((await ledger.verifyAudit()).ok).toBe(true);
  });

  it('reads a hash changed by hand in the text as changed, and the audit chain fails on it', async () => {
    const id = newerIds[0] as number;
    await raw('license_versions').where({ version_id: id }).update({ content_hash: 'hash:forged' });
    expect(await readHashes([id])).toEqual(['hash:forged']);
    expect((await ledger.verifyAudit()).ok).toBe(false);
    await raw('license_versions').where({ version_id: id }).update({ content_hash: '' });
    expect((await ledger.verifyAudit()).ok).toBe(true);
  });

  it('down puts the text back, and up again reads the same', async () => {
    if (!M055) throw new Error('migration 055 not listed');
    await ledger.close();
    await M058?.down(raw);
    await M055.down(raw);
    const rows: { content_hash: string }[] = await raw('license_versions')
      .whereIn('version_id', newerIds)
      .orderBy('version_id')
      .select('content_hash');
    expect(rows.map((r) => r.content_hash)).toEqual(newer.map((c) => c.contentHash));
    await M055.up(raw);
    await M058?.up(raw);
    ledger = await openLedger(database.url, { logger: quietLogger });
    expect(await readHashes([...olderIds, ...newerIds])).toEqual(
      [...older, ...newer].map((c) => c.contentHash),
    );
    expect((await ledger.verifyAudit()).ok).toBe(true);
  });
});
