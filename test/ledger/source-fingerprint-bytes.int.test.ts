/**
 * Migration 052 on a ledger written before it, on both backends: a license's source fingerprint
 * (32 lowercase hex digits, as the source connectors give it) is kept as its 16 bytes in
 * `licenses.source_fp_bytes`, `source_fp` left '' (ledger/fingerprint-column.ts); any other text
 * stays in `source_fp` as it is, '-' (no source row) included. Every reader reads either form as
 * the text given: the bucket digests (summed inside PostgreSQL), the pages of a pipeline's
 * licenses and a page's check whether a fingerprint moved. Rows written before keep their text;
 * down puts the text back.
 */
import type { Knex } from 'knex';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeKeyPosition } from '../../connectors/key-position.js';
import { FINGERPRINT_MOD, fingerprintPart, keyBucket, md5Hex } from '../../core/reconcile-digest.js';
import type { BucketDigest } from '../../ledger/audit-types.js';
import type { CommitPageInput, Ledger, VersionCandidate } from '../../ledger/ledger.js';
import { MIGRATIONS } from '../../ledger/migrate.js';
import { openLedger } from '../../ledger/open-ledger.js';
import { BACKENDS, quietLogger, type TestDatabase } from './backends.js';
import { candidate } from './fixtures.js';
import { rawKnex, undoMigrationsSince } from './raw-knex.js';

const M052 = MIGRATIONS.find((m) => m.name === '052-source-fingerprint-bytes');
const BUCKETS = 4;

/** Bucket, count and sum only, in bucket order: what the comparison with a source reads. */
function digests(rows: readonly BucketDigest[]): [number, number, string][] {
  const by = new Map<number, [number, number, string]>();
  for (const r of rows) {
    const [, count, sum] = by.get(r.bucket) ?? [r.bucket, 0, '0'];
    by.set(r.bucket, [r.bucket, count + r.count, String((Number(sum) + Number(r.sum)) % FINGERPRINT_MOD)]);
  }
  return [...by.values()].sort((a, b) => a[0] - b[0]);
}

/** The digests of `fps` (source key → fingerprint) worked out here. */
function expected(fps: ReadonlyMap<string, string>): [number, number, string][] {
  const by = new Map<number, [number, number, string]>();
  for (const [key, fp] of fps) {
    const bucket = keyBucket(key, BUCKETS);
    const [, count, sum] = by.get(bucket) ?? [bucket, 0, '0'];
    by.set(bucket, [bucket, count + 1, String((Number(sum) + fingerprintPart(fp)) % FINGERPRINT_MOD)]);
  }
  return [...by.values()].sort((a, b) => a[0] - b[0]);
}

describe.each(BACKENDS)('migration 052, source fingerprints as bytes ($name)', (backend) => {
  let database: TestDatabase;
  let ledger: Ledger;
  let raw: Knex;
  const older = [1, 2, 3].map((n) => candidate({ n, pipeline: 'm052-old' }));
  const olderFps = new Map(older.map((c) => [c.sourceKey, md5Hex(`old ${c.sourceKey}`)]));

  async function commit(
    pipeline: string,
    cands: VersionCandidate[],
    fps: Map<string, string>,
  ): Promise<void> {
    const runId = `run-${pipeline}-${fps.size}-${[...fps.values()].join('').slice(0, 8)}`;
    await ledger.startRun({ runId, pipeline, mode: 'incremental' });
    const page: CommitPageInput = {
      pipeline,
      runId,
      checkpoint: encodeKeyPosition({ cursor: null, key: 'k' }),
      rowsRead: cands.length,
      candidates: cands,
      quarantined: [],
      sourceFingerprints: fps,
    };
    await ledger.commitPage(page);
  }

  /** The stored columns of the licenses of `pipeline`, by source key. */
  async function stored(pipeline: string): Promise<Map<string, [unknown, string | null]>> {
    const rows: { source_key: string; source_fp: unknown; source_fp_bytes: unknown }[] = await raw('licenses')
      .where({ pipeline })
      .select('source_key', 'source_fp', 'source_fp_bytes');
    return new Map(
      rows.map((r) => [
        r.source_key,
        [
          r.source_fp,
          r.source_fp_bytes == null ? null : Buffer.from(r.source_fp_bytes as Uint8Array).toString('hex'),
        ],
      ]),
    );
  }

  /** Counts UPDATEs of `licenses` from now on, whatever they changed. */
  async function countLicenseUpdates(): Promise<() => Promise<number>> {
    await raw.raw('create table if not exists test_license_updates (license_id text)');
    if (backend.name === 'postgres') {
      await raw.raw(`create or replace function test_log_license_update() returns trigger language plpgsql
                       as $$ begin insert into test_license_updates values (new.license_id); return new; end $$`);
      await raw.raw('drop trigger if exists test_license_updated on licenses');
      await raw.raw(`create trigger test_license_updated after update on licenses
                       for each row execute function test_log_license_update()`);
    } else {
      await raw.raw(`create trigger if not exists test_license_updated after update on licenses
                       begin insert into test_license_updates values (new.license_id); end`);
    }
    await raw('test_license_updates').delete();
    return async () => Number((await raw('test_license_updates').count({ n: '*' }))[0]?.n);
  }

  beforeAll(async () => {
    database = await backend.create();
    ledger = await openLedger(database.url, { logger: quietLogger });
    await commit('m052-old', older, olderFps);
    await ledger.close();
    // The schema of the previous release, its rows as that release wrote them (down puts the
    // text back), then upgraded again by the next open.
    raw = rawKnex(database.url);
    await undoMigrationsSince(raw, '052-source-fingerprint-bytes');
    ledger = await openLedger(database.url, { logger: quietLogger });
  });

  afterAll(async () => {
    await raw?.destroy();
    await ledger?.close();
    await database?.dispose();
  });

  it('keeps the rows written before as text, and reads them the same', async () => {
    const rows = await stored('m052-old');
    for (const c of older) expect(rows.get(c.sourceKey)).toEqual([olderFps.get(c.sourceKey), null]);
    expect(digests(await ledger.ledgerBuckets('m052-old', BUCKETS))).toEqual(expected(olderFps));
  });

  it('keeps a fingerprint in lowercase hex as its bytes, any other text as it is', async () => {
    const pipeline = 'm052-new';
    const cands = [1, 2, 3, 4].map((n) => candidate({ n, pipeline }));
    const fps = new Map(cands.map((c) => [c.sourceKey, md5Hex(`new ${c.sourceKey}`)]));
    await commit(pipeline, cands, fps);
    const rows = await stored(pipeline);
    for (const c of cands) expect(rows.get(c.sourceKey)).toEqual(['', fps.get(c.sourceKey)]);
    expect(digests(await ledger.ledgerBuckets(pipeline, BUCKETS))).toEqual(expected(fps));

    // The same rows again: every fingerprint is read as the one given, so nothing is written.
    const updates = await countLicenseUpdates();
    await commit(pipeline, cands, new Map(fps));
    expect(await updates()).toBe(0);

    // An unchanged license whose raw row moved: the new fingerprint replaces the bytes, or the
    // text where it is not lowercase hex; one that did not move is read as not moved.
    const moved = new Map(fps);
    const [a, b] = cands;
    // The first of the page's updates holds no bytes: the statement's VALUES list is typed by it.
    moved.set(a?.sourceKey ?? '', 'ABCDEF0123456789ABCDEF0123456789');
    moved.set(b?.sourceKey ?? '', md5Hex('moved'));
    await commit(pipeline, cands, moved);
    const after = await stored(pipeline);
    expect(after.get(a?.sourceKey ?? '')).toEqual(['ABCDEF0123456789ABCDEF0123456789', null]);
    expect(after.get(b?.sourceKey ?? '')).toEqual(['', md5Hex('moved')]);
    expect(after.get(cands[2]?.sourceKey ?? '')).toEqual(['', fps.get(cands[2]?.sourceKey ?? '')]);

    // The pages of the pipeline read each license once, the sourceless flag from the text.
    const page = await ledger.pipelineLicensePage(pipeline, '', 10);
    expect(page.map((l) => l.sourceKey).sort()).toEqual(cands.map((c) => c.sourceKey).sort());
    expect(page.some((l) => l.sourceless)).toBe(false);
  });

  it('down puts the text back, and up again reads the same', async () => {
    const before = digests(await ledger.ledgerBuckets('m052-new', BUCKETS));
    if (!M052) throw new Error('migration 052 not listed');
    await M052.down(raw);
    const rows: { source_fp: string | null }[] = await raw('licenses')
      .where({ pipeline: 'm052-new' })
      .select('source_fp');
    expect(rows.map((r) => r.source_fp?.length)).toEqual([32, 32, 32, 32]);
    await M052.up(raw);
    expect(digests(await ledger.ledgerBuckets('m052-new', BUCKETS))).toEqual(before);
  });
});
