/**
 * On both backends: a version the ledger writes is signed from its stored text without parsing it,
 * and the bytes are the canonical form of the license it reads back as; a row written before
 * (JSON.stringify's text, no context) or edited since is read the long way, and signs the same
 * bytes as before or is told corrupt as before (pipelines/stages/sign.ts signable).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { canonicalBytes, contentHash } from '../../catalog/canonical.js';
import type { Ledger, VersionCandidate } from '../../ledger/ledger.js';
import { openLedger } from '../../ledger/open-ledger.js';
import { storedSignedForm } from '../../ledger/stored-signed-form.js';
import { signable } from '../../pipelines/stages/sign.js';
import { BACKENDS, quietLogger, type TestDatabase } from './backends.js';
import { candidates, commitOnePage, uniqueName } from './fixtures.js';
import { oddCandidates } from './odd-payloads.js';
import { rawKnex } from './raw-knex.js';

describe.each(BACKENDS)('signed form from the stored text ($name)', (backend) => {
  let database: TestDatabase;
  let ledger: Ledger;
  const pipeline = uniqueName('signed');
  const runId = uniqueName('run');
  let written: VersionCandidate[] = [];
  let ids: number[] = [];

  beforeAll(async () => {
    database = await backend.create();
    ledger = await openLedger(database.url, { logger: quietLogger });
    // The fixtures' candidates with their real content hashes, as the mapper gives them.
    const plain = candidates(1, 3, { pipeline, runId }).map((c) => ({
      ...c,
      contentHash: contentHash(c.build(1)),
    }));
    written = [...plain, ...oddCandidates(pipeline, runId, 10)];
    ids = (await commitOnePage(ledger, pipeline, runId, written)).created.map((c) => c.versionId);
  });
  afterAll(async () => {
    await ledger?.close();
    await database?.dispose();
  });

  /** The bytes signable gives each version of `ids`, checked against its license's canonical form. */
  async function signedBytes(): Promise<Buffer[]> {
    const versions = await ledger.getVersions(ids);
    expect(versions.map((v) => v.contentHash)).toEqual(written.map((c) => c.contentHash));
    return versions.map((v) => {
      const form = signable(v);
      if ('problem' in form) throw new Error(`version ${v.versionId}: ${form.problem}`);
      const bytes = Buffer.from(form.bytes);
      expect(bytes.equals(Buffer.from(canonicalBytes(v.payload)))).toBe(true);
      return bytes;
    });
  }

  it('signs each version written from its text, the canonical form of the license it reads as', async () => {
    const versions = await ledger.getVersions(ids);
    for (const v of versions) expect(storedSignedForm(v), v.licenseId).toBeDefined();
    const bytes = await signedBytes();
    expect(bytes.map((b) => b.toString('utf8'))).toEqual(
      written.map((c) => Buffer.from(canonicalBytes(c.build(1))).toString('utf8')),
    );
  });

  it('reads a row written before the long way, to the same bytes, and an edited one as corrupt', async () => {
    const before = await signedBytes();
    const raw = rawKnex(database.url);
    try {
      // As a release before wrote them: JSON.stringify's text whole, names in the order written.
      for (const [i, id] of ids.entries()) {
        const { identifier: _identifier, ...rest } = (written[i] as VersionCandidate).build(1);
        await raw('license_versions')
          .where({ version_id: id })
          .update({ payload: JSON.stringify(rest), context_id: null });
      }
      const versions = await ledger.getVersions(ids);
      expect(versions.filter((v) => storedSignedForm(v) !== undefined)).toEqual([]);
      expect(await signedBytes()).toEqual(before);

      await raw('license_versions')
        .where({ version_id: ids[0] })
        .update({ payload: raw.raw(`replace(payload, '"status":"valid"', '"status":"revoked"')`) });
      const [edited] = await ledger.getVersions([ids[0] as number]);
      expect(edited && signable(edited)).toEqual({
        problem:
          'its stored text does not match the content hash its version records (altered since it was written)',
      });
    } finally {
      await raw.destroy();
    }
  });
});
