/**
 * Migrations 025 and 026 on both backends with licenses whose text could trip the marker
 * (test/ledger/odd-payloads.ts): every version reads back as written through each reader, the
 * documented SQL of docs/operations.md gives the payload text byte for byte, the versions signed
 * from what the ledger reads verify with the real verifier from the rows as stored, the lifecycle
 * tick's expiry keeps the rest of the license, the audit chain verifies, and after down and up
 * again everything reads and verifies the same.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateSm2KeyPair } from '../../adapters/signers/local-sm2/keys.js';
import { LocalSm2Signer } from '../../adapters/signers/local-sm2/local-sm2-signer.js';
import { SM2_SM3_OID } from '../../adapters/signers/signer.js';
import { SignatureVerifier, type VerificationKey } from '../../adapters/signers/verify-signature.js';
import { canonicalBytes } from '../../catalog/canonical.js';
import { encodeKeyPosition } from '../../connectors/key-position.js';
import type { Ledger, StoredVersion, VersionCandidate } from '../../ledger/ledger.js';
import { MIGRATIONS } from '../../ledger/migrate.js';
import { openLedger } from '../../ledger/open-ledger.js';
import { payloadColumn } from '../../ledger/payload-column.js';
import { signStoredVersions } from '../../pipelines/stages/sign.js';
import { BACKENDS, quietLogger, type TestDatabase } from './backends.js';
import { uniqueName } from './fixtures.js';
import { ODD, oddCandidates } from './odd-payloads.js';
import { rawKnex } from './raw-knex.js';

const SEAL = '37021100000001';
const M025 = MIGRATIONS.find((m) => m.name === '025-signature-profiles');
const M026 = MIGRATIONS.find((m) => m.name === '026-version-contexts');

/** docs/operations.md, "Ledger size": a version's payload text put back by hand. */
const PAYLOAD_BY_HAND = `select v.version_id,
       case when c.payload is null or c.payload = '' then v.payload
            else replace(v.payload, '"@":0', c.payload) end as payload
  from license_versions v left join version_contexts c on c.context_id = v.context_id
 order by v.version_id`;

/**
 * docs/signatures.md, "The signature record": a signature row put together by hand, its digest's
 * bytes and its version's content hash bytes in hex as PostgreSQL (`encode`) or SQLite
 * (`lower(hex(…))`) writes them.
 */
const signatureByHand = (sqlite: boolean) => `select s.version_id, s.seal_id,
       case when s.content_hash <> '' then s.content_hash
            when v.content_hash = '' and v.content_hash_bytes is not null
            then ${sqlite ? 'lower(hex(v.content_hash_bytes))' : "encode(v.content_hash_bytes, 'hex')"}
            else v.content_hash end as content_hash,
       coalesce(p.algorithm, s.algorithm) as algorithm, coalesce(p.dist_id, s.dist_id) as dist_id,
       coalesce(p.signer_kind, s.signer_kind) as signer_kind,
       case when s.digest = '' and s.digest_bytes is not null
            then ${sqlite ? 'lower(hex(s.digest_bytes))' : "encode(s.digest_bytes, 'hex')"} else s.digest end as digest,
       s.signature
  from signatures s join license_versions v on v.version_id = s.version_id
  left join signature_profiles p on p.profile_id = s.profile_id
 order by s.version_id`;

const rowsOf = (res: unknown): Record<string, unknown>[] =>
  Array.isArray(res) ? res : (res as { rows: Record<string, unknown>[] }).rows;

describe.each(BACKENDS)('ledger-size migrations, second read ($name)', (backend) => {
  let database: TestDatabase;
  let ledger: Ledger;
  let signer: LocalSm2Signer;
  let keys: VerificationKey[];
  const pipeline = uniqueName('odd');
  const runId = uniqueName('run');
  let written: VersionCandidate[] = [];
  let ids: number[] = [];

  beforeAll(async () => {
    database = await backend.create();
    ledger = await openLedger(database.url, { logger: quietLogger });
    const pair = generateSm2KeyPair();
    signer = new LocalSm2Signer('district-seal', {
      kind: 'local-sm2',
      key: pair.privateKeyPem,
      sealId: SEAL,
      distId: '1234567812345678',
      workers: 0,
    });
    await signer.open();
    keys = [
      {
        sealId: SEAL,
        publicKeyPem: pair.publicKeyPem,
        certificate: null,
        origin: 'signer district-seal',
        trusted: true,
        fingerprint: 'test',
      },
    ];
    await ledger.startRun({ runId, pipeline, mode: 'incremental' });
    written = oddCandidates(pipeline, runId);
    const result = await ledger.commitPage({
      pipeline,
      runId,
      checkpoint: encodeKeyPosition({ cursor: null, key: 'k' }),
      rowsRead: written.length,
      candidates: written,
      quarantined: [],
    });
    ids = result.created.map((c) => c.versionId);
    expect(ids).toHaveLength(Object.keys(ODD).length);
    // Signed as the sign stage signs: the canonical form of the license the ledger reads back.
    const versions = await ledger.getVersions(ids);
    expect(await ledger.recordSignatures(await signStoredVersions(signer, SEAL, versions))).toBe(ids.length);
  });
  afterAll(async () => {
    await signer?.close();
    await ledger?.close();
    await database?.dispose();
  });

  async function expectReadsAsWritten(): Promise<StoredVersion[]> {
    const versions = await ledger.getVersions(ids);
    expect(versions.map((v) => v.payload)).toEqual(written.map((c) => c.build(1)));
    expect(versions.map((v) => v.lineage)).toEqual(written.map((c) => c.lineage));
    // The JSON text the license had, and the bytes that were signed.
    expect(versions.map((v) => payloadColumn(v.payload))).toEqual(
      written.map((c) => payloadColumn(c.build(1))),
    );
    expect(versions.map((v) => Buffer.from(canonicalBytes(v.payload)).toString('hex'))).toEqual(
      written.map((c) => Buffer.from(canonicalBytes(c.build(1))).toString('hex')),
    );
    const page = await ledger.versionPage({ afterVersionId: 0, limit: 100, pipeline });
    expect(page.filter((v) => ids.includes(v.versionId)).map((v) => v.payload)).toEqual(
      written.map((c) => c.build(1)),
    );
    return versions;
  }

  async function expectSignaturesVerify(): Promise<void> {
    const versions = await ledger.getVersions(ids);
    const signatures = await ledger.getSignatures(ids);
    expect(signatures).toHaveLength(ids.length);
    const verifier = new SignatureVerifier();
    for (const s of signatures) {
      const v = versions.find((x) => x.versionId === s.versionId) as StoredVersion;
      expect(s).toMatchObject({
        contentHash: v.contentHash,
        algorithm: SM2_SM3_OID,
        signerKind: 'local-sm2',
      });
      expect(verifier.check(v.payload, v.contentHash, s, keys)).toMatchObject({ reasons: [] });
    }
  }

  it('splits only where the marker cannot be ambiguous, and gives the text back byte for byte by hand', async () => {
    const raw = rawKnex(database.url);
    try {
      const stored: { payload: string; context_payload: string | null }[] = await raw('license_versions as v')
        .leftJoin('version_contexts as c', 'c.context_id', 'v.context_id')
        .select('v.payload', 'c.payload as context_payload')
        .whereIn('v.version_id', ids)
        .orderBy('v.version_id');
      const moved = stored.map((r) => r.context_payload !== null && r.context_payload !== '');
      // markerInValue, memberNamedAt, membersTwice, issuerFirst, markerInType. membersTwice moves:
      // its surface's copy is written with its names in canonical order (payload-column.ts),
      // issuer before type, so the members' text occurs once, at the top level.
      expect(moved).toEqual([true, false, true, false, true]);
      const byHand = rowsOf(await raw.raw(PAYLOAD_BY_HAND)).filter((r) => ids.includes(Number(r.version_id)));
      expect(byHand.map((r) => r.payload)).toEqual(written.map((c) => payloadColumn(c.build(1))));
    } finally {
      await raw.destroy();
    }
    await expectReadsAsWritten();
  });

  it('verifies every signature made from the restored text, and the documented signature SQL agrees', async () => {
    await expectSignaturesVerify();
    const raw = rawKnex(database.url);
    try {
      const own: { content_hash: string; algorithm: string; profile_id: unknown }[] = await raw('signatures')
        .select('content_hash', 'algorithm', 'profile_id')
        .whereIn('version_id', ids);
      expect(own.every((r) => r.content_hash === '' && r.algorithm === '' && r.profile_id !== null)).toBe(
        true,
      );
      const byHand = rowsOf(await raw.raw(signatureByHand(backend.name === 'sqlite')));
      const stored = await ledger.getSignatures(ids);
      expect(
        byHand.map((r) => ({
          versionId: Number(r.version_id),
          contentHash: r.content_hash,
          algorithm: r.algorithm,
          distId: r.dist_id,
          signerKind: r.signer_kind,
          digest: r.digest,
        })),
      ).toEqual(
        stored.map((s) => ({
          versionId: s.versionId,
          contentHash: s.contentHash,
          algorithm: s.algorithm,
          distId: s.distId,
          signerKind: s.signerKind,
          digest: s.digest,
        })),
      );
    } finally {
      await raw.destroy();
    }
  });

  it('down and up again read and verify the same, with the payload text exact after down', async () => {
    const raw = rawKnex(database.url);
    try {
      await M026?.down(raw);
      await M025?.down(raw);
      const rows: { payload: string }[] = await raw('license_versions')
        .select('payload')
        .whereIn('version_id', ids)
        .orderBy('version_id');
      expect(rows.map((r) => r.payload)).toEqual(written.map((c) => payloadColumn(c.build(1))));
      await M025?.up(raw);
      await M026?.up(raw);
    } finally {
      await raw.destroy();
    }
    await expectReadsAsWritten();
    await expectSignaturesVerify();
  });

  it('expires each license with the rest of its content as it was, and the audit chain verifies', async () => {
    const tickRun = uniqueName('tick');
    await ledger.beginLifecycleTick({ pipeline, day: '2026-01-10', runId: tickRun });
    const created = await ledger.expireDue({ pipeline, today: '2026-01-10', runId: tickRun, limit: 100 });
    expect(created).toHaveLength(written.length);
    const expired = await ledger.getVersions(created.map((c) => c.versionId));
    const byLicense = new Map(expired.map((v) => [v.licenseId, v]));
    for (const c of written) {
      const v = byLicense.get(c.licenseId) as StoredVersion;
      const { identifier: _was, status: _status, ...before } = c.build(1);
      const { identifier: _now, status, ...after } = v.payload;
      expect(status).toBe('expired');
      expect(after).toEqual(before);
      expect(v.lineage).toMatchObject({ source: 'market-food', sourceKey: c.sourceKey, runId: tickRun });
    }
    expect(await ledger.verifyAudit()).toMatchObject({ ok: true });
  });
});
