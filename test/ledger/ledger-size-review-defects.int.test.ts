/**
 * What a second read of migrations 025 and 026 found wrong, on both backends:
 * - docs/signatures.md's by-hand SQL, replace(v.payload, '"@":0', c.payload), was given for every
 *   row that names a version context; a row whose members stayed (its license has a member named
 *   "@", so the context holds the lineage only and its payload is '') lost its own "@":0 there.
 *   The SQL each page gives now is run here as the page prints it;
 * - 026's down put the lineage back as merged JSON (json_patch on SQLite, jsonb on PostgreSQL),
 *   not as the text the row had: keys reordered, and on PostgreSQL spaces added;
 * - the lifecycle tick wrote its expire versions whole (type, issuer and the shared lineage in
 *   every row) and the license's content hash again, where a run's versions name their context.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateSm2KeyPair } from '../../adapters/signers/local-sm2/keys.js';
import { LocalSm2Signer } from '../../adapters/signers/local-sm2/local-sm2-signer.js';
import { SignatureVerifier } from '../../adapters/signers/verify-signature.js';
import type { License } from '../../catalog/license.js';
import { encodeKeyPosition } from '../../connectors/key-position.js';
import type { Ledger, StoredVersion, VersionCandidate } from '../../ledger/ledger.js';
import { lineageColumn } from '../../ledger/lineage-column.js';
import { MIGRATIONS } from '../../ledger/migrate.js';
import { openLedger } from '../../ledger/open-ledger.js';
import { payloadColumn } from '../../ledger/payload-column.js';
import { signStoredVersions } from '../../pipelines/stages/sign.js';
import { BACKENDS, quietLogger, type TestDatabase } from './backends.js';
import { uniqueName } from './fixtures.js';
import { ODD, oddCandidates } from './odd-payloads.js';
import { rawKnex } from './raw-knex.js';

const M026 = MIGRATIONS.find((m) => m.name === '026-version-contexts');
const SEAL = '37021100000001';

const rowsOf = (res: unknown): Record<string, unknown>[] =>
  Array.isArray(res) ? res : (res as { rows: Record<string, unknown>[] }).rows;

/** The ```sql block of a docs page that reads `version_contexts`, as the page prints it. */
function documentedSql(page: string): string {
  const text = readFileSync(new URL(`../../docs/${page}`, import.meta.url), 'utf8');
  const blocks = [...text.matchAll(/^( *)```sql\n([\s\S]*?)^ *```/gm)].map(([, indent, body]) =>
    (body ?? '')
      .split('\n')
      .map((line) => line.slice((indent ?? '').length))
      .join('\n'),
  );
  const found = blocks.filter((b) => b.includes('version_contexts'));
  expect(found, `docs/${page}: one sql block reading version_contexts`).toHaveLength(1);
  return (found[0] as string).trim().replace(/;$/, '');
}

describe.each(BACKENDS)('ledger-size migrations, defects ($name)', (backend) => {
  let database: TestDatabase;
  let ledger: Ledger;
  const pipeline = uniqueName('odd');
  const runId = uniqueName('run');
  let written: VersionCandidate[] = [];
  let ids: number[] = [];

  beforeAll(async () => {
    database = await backend.create();
    ledger = await openLedger(database.url, { logger: quietLogger });
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
  });
  afterAll(async () => {
    await ledger?.close();
    await database?.dispose();
  });

  it.each(['signatures.md', 'operations.md'])(
    "docs/%s: the documented SQL gives the text of every version, a member named '@' included",
    async (page) => {
      const sql = documentedSql(page);
      const raw = rawKnex(database.url);
      try {
        const byHand = rowsOf(await raw.raw(sql))
          .filter((r) => ids.includes(Number(r.version_id)))
          .sort((a, b) => Number(a.version_id) - Number(b.version_id));
        // Every version of the page names a context (its lineage's shared fields at least).
        expect(byHand).toHaveLength(Object.keys(ODD).length);
        expect(byHand.map((r) => r.payload)).toEqual(written.map((c) => payloadColumn(c.build(1))));
      } finally {
        await raw.destroy();
      }
    },
  );

  it("026 down puts each version's lineage text back as it was written", async () => {
    const raw = rawKnex(database.url);
    try {
      await M026?.down(raw);
      const rows: { lineage: string }[] = await raw('license_versions')
        .select('lineage')
        .whereIn('version_id', ids)
        .orderBy('version_id');
      expect(rows.map((r) => r.lineage)).toEqual(
        written.map((c) => lineageColumn(c.lineage, pipeline, runId)),
      );
    } finally {
      await M026?.up(raw);
      await raw.destroy();
    }
  });

  it('an expire version names its context, reads back the license and lineage and verifies', async () => {
    const tickRun = uniqueName('tick');
    await ledger.beginLifecycleTick({ pipeline, day: '2026-01-10', runId: tickRun });
    const created = await ledger.expireDue({ pipeline, today: '2026-01-10', runId: tickRun, limit: 100 });
    expect(created).toHaveLength(written.length);
    const expiredIds = created.map((c) => c.versionId);
    const expired = await ledger.getVersions(expiredIds);
    const byLicense = new Map(expired.map((v) => [v.licenseId, v]));
    const expected = (c: VersionCandidate): License => {
      const v = byLicense.get(c.licenseId) as StoredVersion;
      return { ...c.build(1), identifier: v.payload.identifier, status: 'expired' };
    };
    for (const c of written) {
      const v = byLicense.get(c.licenseId) as StoredVersion;
      // The license's JSON text, field order included, with only its identifier and status new.
      expect(payloadColumn(v.payload)).toBe(payloadColumn(expected(c)));
      expect(v.lineage).toEqual({ ...c.lineage, runId: tickRun });
    }

    const raw = rawKnex(database.url);
    try {
      const rows: { license_id: string; payload: string; lineage: string; context_id: unknown }[] = await raw(
        'license_versions',
      )
        .select('license_id', 'payload', 'lineage', 'context_id')
        .whereIn('version_id', expiredIds);
      // Stored small: the shared lineage and, where a run's version moves them, type and issuer
      // are the context's (markerInValue and markerInType move them; the others keep theirs).
      expect(rows.every((r) => r.context_id !== null && !r.lineage.includes('market-food'))).toBe(true);
      const moved = written.map(
        (c) =>
          !rows.find((r) => r.license_id === c.licenseId)?.payload.includes('青岛西海岸新区市场监督管理局'),
      );
      expect(moved).toEqual([true, false, false, false, true]);
      const licenses: { content_hash: string }[] = await raw('licenses')
        .select('content_hash')
        .whereIn(
          'license_id',
          written.map((c) => c.licenseId),
        );
      expect(licenses.map((l) => l.content_hash)).toEqual(written.map(() => ''));
      // The documented SQL gives each expire version's text as the ledger reads it.
      const byHand = rowsOf(await raw.raw(documentedSql('signatures.md'))).filter((r) =>
        expiredIds.includes(Number(r.version_id)),
      );
      expect(byHand).toHaveLength(written.length);
      for (const r of byHand) {
        const v = expired.find((x) => x.versionId === Number(r.version_id)) as StoredVersion;
        const { identifier: _identifier, ...rest } = v.payload;
        expect(r.payload).toBe(payloadColumn(rest as License));
      }
    } finally {
      await raw.destroy();
    }

    // Signed as the sign stage signs, from what the ledger reads; verified from the rows as stored.
    const pair = generateSm2KeyPair();
    const signer = new LocalSm2Signer('district-seal', {
      kind: 'local-sm2',
      key: pair.privateKeyPem,
      sealId: SEAL,
      distId: '1234567812345678',
      workers: 0,
    });
    await signer.open();
    try {
      expect(await ledger.recordSignatures(await signStoredVersions(signer, SEAL, expired))).toBe(
        expired.length,
      );
    } finally {
      await signer.close();
    }
    const reread = await ledger.getVersions(expiredIds);
    expect(reread.map((v) => v.payload)).toEqual(expired.map((v) => v.payload));
    const verifier = new SignatureVerifier();
    const keys = [
      {
        sealId: SEAL,
        publicKeyPem: pair.publicKeyPem,
        certificate: null,
        origin: 'signer district-seal',
        trusted: true,
        fingerprint: 'test',
      },
    ];
    const signatures = await ledger.getSignatures(expiredIds);
    expect(signatures).toHaveLength(expired.length);
    for (const s of signatures) {
      const v = reread.find((x) => x.versionId === s.versionId) as StoredVersion;
      expect(verifier.check(v.payload, v.contentHash, s, keys)).toMatchObject({ reasons: [] });
    }
    expect(await ledger.verifyAudit()).toMatchObject({ ok: true });
  });
});
