/**
 * Migration 030 on both backends: a signature's digest, written as lowercase hex, is stored as its
 * 32 bytes with `digest` left '', and reads back as the same text; a digest in any other form is
 * kept as text and reads back as given; a row written before reads as it is; down puts the text
 * back in every row, and up again reads the same.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeKeyPosition } from '../../connectors/key-position.js';
import type { Ledger, StoredSignature } from '../../ledger/ledger.js';
import { MIGRATIONS } from '../../ledger/migrate.js';
import { openLedger } from '../../ledger/open-ledger.js';
import { BACKENDS, quietLogger, type TestDatabase } from './backends.js';
import { candidates, signature, uniqueName } from './fixtures.js';
import { rawKnex } from './raw-knex.js';

const M030 = MIGRATIONS.find((m) => m.name === '030-signature-digest-bytes');

const E = '0f'.repeat(2) + 'c3a9'.repeat(15);

describe.each(BACKENDS)('signature digests as bytes ($name)', (backend) => {
  let database: TestDatabase;
  let ledger: Ledger;
  const pipeline = uniqueName('sigd');
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
    const [a, b, c, d] = ids as [number, number, number, number];
    expected = [
      // As licbridge computes it: SM3 in lowercase hex, leading zero bytes included.
      { ...signature(a, 'seal-1'), digest: E },
      // Any other text (upper case, odd length, not hex, empty) is kept as it was given.
      { ...signature(b, 'seal-1'), digest: E.toUpperCase() },
      { ...signature(c, 'seal-1'), digest: `${E}0` },
      { ...signature(d, 'seal-1'), digest: '' },
    ];
    expect(await ledger.recordSignatures(expected)).toBe(4);
    // Written as a release before 030 did: the digest as hex text.
    const raw = rawKnex(database.url);
    try {
      const old = { ...signature(a, 'seal-old'), digest: E };
      await raw('signatures').insert({
        version_id: a,
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

  const sorted = (list: StoredSignature[]) =>
    [...list].sort((x, y) => x.versionId - y.versionId || x.sealId.localeCompare(y.sealId));

  it('stores a lowercase hex digest as its bytes alone, and reads every digest back as recorded', async () => {
    const raw = rawKnex(database.url);
    try {
      const rows: { version_id: unknown; seal_id: string; digest: string; digest_bytes: Buffer | null }[] =
        await raw('signatures')
          .select('version_id', 'seal_id', 'digest', 'digest_bytes')
          .orderBy(['version_id', 'seal_id']);
      expect(
        rows.map((r) => [Number(r.version_id), r.seal_id, r.digest, r.digest_bytes?.toString('hex') ?? null]),
      ).toEqual([
        [ids[0], 'seal-1', '', E],
        [ids[0], 'seal-old', E, null],
        [ids[1], 'seal-1', E.toUpperCase(), null],
        [ids[2], 'seal-1', `${E}0`, null],
        [ids[3], 'seal-1', '', null],
      ]);
      expect(rows[0]?.digest_bytes?.length).toBe(32);
    } finally {
      await raw.destroy();
    }
    expect(await ledger.getSignatures(ids)).toEqual(sorted(expected));
  });

  it('puts the text back when undone, and reads the same after up again', async () => {
    await ledger.close();
    const raw = rawKnex(database.url);
    try {
      await M030?.down(raw);
      const rows: { seal_id: string; digest: string }[] = await raw('signatures')
        .select('seal_id', 'digest')
        .orderBy(['version_id', 'seal_id']);
      expect(rows.map((r) => r.digest)).toEqual([E, E, E.toUpperCase(), `${E}0`, '']);
      await M030?.up(raw);
    } finally {
      await raw.destroy();
    }
    ledger = await openLedger(database.url, { logger: quietLogger });
    expect(await ledger.getSignatures(ids)).toEqual(sorted(expected));
  });
});
