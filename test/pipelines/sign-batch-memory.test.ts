/**
 * The sign stage lets a batch's versions go once their canonical bytes are made
 * (signStoredVersions in pipelines/stages/sign.ts): while the signer works, only ids and hashes
 * wait, so a batch's payload texts and licenses are not carried into the old generation. The
 * records still come back in order, with each version's id and hash, over the canonical bytes.
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import type { SignatureRecord, Signer } from '../../adapters/signers/signer.js';
import { canonicalJson } from '../../catalog/canonical.js';
import { toVersion, type VersionRow } from '../../ledger/rows.js';
import { signStoredVersions } from '../../pipelines/stages/sign.js';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

function row(versionId: number): VersionRow {
  return {
    version_id: versionId,
    license_id: `L-${versionId}`,
    version: 1,
    pipeline: 'p',
    identifier: `ID-${versionId}`,
    content_hash: `hash-${versionId}`,
    status: 'valid',
    operation: 'issue',
    payload: JSON.stringify({ number: `N${versionId}`, holder: { name: '某某食品经营部', id: 'x' } }),
    lineage: '{"k":"1"}',
    run_id: 'r',
    created_at: '2026-01-01T00:00:00.000Z',
    context_id: null,
  };
}

/** A signer whose answer waits until `answer()` is called, and which keeps the texts it was given. */
function heldSigner(): Signer & { answer(): void; texts: string[] } {
  let release: () => void = () => undefined;
  const texts: string[] = [];
  return {
    name: 's',
    kind: 'test',
    texts,
    answer: () => release(),
    open: async () => undefined,
    close: async () => undefined,
    publicKeyPem: () => '',
    sign(messages) {
      for (const m of messages) texts.push(new TextDecoder().decode(m));
      return new Promise<SignatureRecord[]>((resolve) => {
        release = () =>
          resolve(
            messages.map((_, i) => ({
              algorithm: 'SM2',
              digest: `d${i}`,
              signature: new Uint8Array([i]),
              distId: '1234567812345678',
              sealId: 'seal',
              signerKind: 'test',
              certificateSerial: null,
              certificateIssuer: null,
              signedAt: new Date(0),
            })),
          );
      });
    },
  };
}

describe('a sign batch', () => {
  it('does not keep its versions while the signer works, and records each in order', async () => {
    const signer = heldSigner();
    const started = (() => {
      const versions = [toVersion(row(1)), toVersion(row(2))];
      const expected = versions.map((v) => canonicalJson(v.payload));
      return {
        pending: signStoredVersions(signer, 'seal', versions),
        refs: versions.map((v) => new WeakRef(v)),
        expected,
      };
    })();
    // A WeakRef's target lives at least until the end of the current job.
    await new Promise((resolve) => setTimeout(resolve, 0));
    gc();
    expect(started.refs.map((r) => r.deref())).toEqual([undefined, undefined]);
    signer.answer();
    const records = await started.pending;
    expect(records.map((r) => [r.versionId, r.contentHash, r.digest])).toEqual([
      [1, 'hash-1', 'd0'],
      [2, 'hash-2', 'd1'],
    ]);
    // The signed bytes are the canonical form of each license, its identifier put back.
    expect(signer.texts).toEqual(started.expected);
    expect(JSON.parse(signer.texts[0] ?? '')).toMatchObject({ identifier: 'ID-1', number: 'N1' });
  });

  it('refuses an answer for another seal', async () => {
    const signer = heldSigner();
    const pending = signStoredVersions(signer, 'another-seal', [toVersion(row(1))]);
    signer.answer();
    await expect(pending).rejects.toThrow(
      /^sign: signer \S+: signature 0 is by seal \S+, not the pipeline's seal another-seal/,
    );
  });
});
