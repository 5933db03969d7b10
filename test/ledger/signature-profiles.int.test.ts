/**
 * Migration 025 on both backends: a signature row names its (algorithm, distinguishing id, signer
 * kind) in `signature_profiles` and leaves its content hash '' when it is its version's, and reads
 * back exactly as recorded; a row written before (its own columns, no profile) reads the same;
 * down puts the text back in every row, and up again reads the same.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeKeyPosition } from '../../connectors/key-position.js';
import type { Ledger, StoredSignature } from '../../ledger/ledger.js';
import { MIGRATIONS } from '../../ledger/migrate.js';
import { openLedger } from '../../ledger/open-ledger.js';
import { BACKENDS, quietLogger, type TestDatabase } from './backends.js';
import { candidates, signature, uniqueName } from './fixtures.js';
import { rawKnex } from './raw-knex.js';

const M025 = MIGRATIONS.find((m) => m.name === '025-signature-profiles');

describe.each(BACKENDS)('signature profiles ($name)', (backend) => {
  let database: TestDatabase;
  let ledger: Ledger;
  const pipeline = uniqueName('sigp');
  const runId = uniqueName('run');
  let ids: number[] = [];
  let expected: StoredSignature[] = [];

  beforeAll(async () => {
    database = await backend.create();
    ledger = await openLedger(database.url, { logger: quietLogger });
    await ledger.startRun({ runId, pipeline, mode: 'incremental' });
    const result = await ledger.commitPage({
      pipeline,
      runId,
      checkpoint: encodeKeyPosition({ cursor: null, key: 'k' }),
      rowsRead: 4,
      candidates: candidates(1, 4, { pipeline, runId }),
      quarantined: [],
    });
    ids = result.created.map((c) => c.versionId);
    const versions = await ledger.getVersions(ids);
    const hashOf = (id: number) => versions.find((v) => v.versionId === id)?.contentHash ?? '';
    const [a, b, c, d] = ids as [number, number, number, number];
    expected = [
      // Signed as the pipeline signs: the version's own content hash.
      { ...signature(a, 'seal-1'), contentHash: hashOf(a) },
      { ...signature(b, 'seal-1'), contentHash: hashOf(b) },
      // Another profile, and a content hash that is not the version's: kept as given.
      { ...signature(c, 'seal-2'), algorithm: '1.2.156.10197.1.501', distId: 'ALICE123@YAHOO.COM' },
    ];
    expect(await ledger.recordSignatures(expected)).toBe(3);
    // Written as a release before 025 did: every column its own text, no profile.
    const raw = rawKnex(database.url);
    try {
      const old = { ...signature(d, 'seal-1'), contentHash: hashOf(d), signerKind: 'remote' };
      await raw('signatures').insert({
        version_id: d,
        seal_id: old.sealId,
        content_hash: old.contentHash,
        algorithm: old.algorithm,
        digest: old.digest,
        signature: Buffer.from(old.signature),
        dist_id: old.distId,
        signer_kind: old.signerKind,
        certificate_serial: old.certificateSerial,
        certificate_issuer: old.certificateIssuer,
        signed_at: old.signedAt.toISOString(),
      });
      expected.push(old);
    } finally {
      await raw.destroy();
    }
  });
  afterAll(async () => {
    await ledger?.close();
    await database?.dispose();
  });

  it('stores each profile once and no copy of the version hash, and reads every signature back as recorded', async () => {
    const raw = rawKnex(database.url);
    try {
      const rows: {
        content_hash: string;
        algorithm: string;
        dist_id: string;
        signer_kind: string;
        profile_id: unknown;
      }[] = await raw('signatures').select('*').orderBy('version_id');
      expect(rows.slice(0, 2).map((r) => [r.content_hash, r.algorithm, r.dist_id, r.signer_kind])).toEqual([
        ['', '', '', ''],
        ['', '', '', ''],
      ]);
      expect(rows[2]?.content_hash).toBe('hash-' + ids[2]);
      expect(rows[0]?.profile_id).toBe(rows[1]?.profile_id);
      expect(rows[2]?.profile_id).not.toBe(rows[0]?.profile_id);
      expect(rows[3]?.profile_id).toBeNull();
      const profiles = await raw('signature_profiles').count({ n: '*' }).first();
      expect(Number(profiles?.n)).toBe(2);
    } finally {
      await raw.destroy();
    }
    expect(await ledger.getSignatures(ids)).toEqual(expected);
  });

  it('down writes the text back into every row, and up again reads the same', async () => {
    const raw = rawKnex(database.url);
    try {
      await M025?.down(raw);
      const rows: Record<string, unknown>[] = await raw('signatures').select('*').orderBy('version_id');
      expect(rows.map((r) => [r.content_hash, r.algorithm, r.dist_id, r.signer_kind])).toEqual(
        expected.map((s) => [s.contentHash, s.algorithm, s.distId, s.signerKind]),
      );
      expect(rows.every((r) => !Object.hasOwn(r, 'profile_id'))).toBe(true);
      await M025?.up(raw);
    } finally {
      await raw.destroy();
    }
    expect(await ledger.getSignatures(ids)).toEqual(expected);
  });
});
