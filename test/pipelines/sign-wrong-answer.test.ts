// A signer that answers a batch with another count of signatures, or under another seal, broke
// the signer contract. The sign stage refused it with a bare Error ('the signer returned a wrong
// or missing signature') naming no signer or count, which the sign queue retried as any unknown
// error; a batch answered with one signature too many was recorded. Now each is a LicbridgeError
// (LB_SIGNER_FAILED, not retryable) naming the signer and what it returned.
import { describe, expect, it } from 'vitest';
import type { SignatureRecord, Signer } from '../../adapters/signers/signer.js';
import { ErrorCodes, LicbridgeError } from '../../core/errors.js';
import type { StoredVersion } from '../../ledger/ledger.js';
import { signStoredVersions } from '../../pipelines/stages/sign.js';

const record = (sealId: string): SignatureRecord => ({
  algorithm: '1.2.156.10197.1.501',
  digest: '00'.repeat(32),
  signature: new Uint8Array([0x30, 0x00]),
  distId: '1234567812345678',
  sealId,
  signerKind: 'stub',
  certificateSerial: null,
  certificateIssuer: null,
  signedAt: new Date(),
});

/** A signer answering every batch with `answer(n)` for a batch of n. */
function stub(answer: (n: number) => SignatureRecord[]): Signer {
  return {
    name: 'city-seal',
    kind: 'stub',
    open: async () => {},
    sign: async (messages) => answer(messages.length),
    publicKeyPem: () => '',
    close: async () => {},
  };
}

const versions = [1, 2].map(
  (versionId) =>
    ({ versionId, contentHash: `h${versionId}`, payload: { n: versionId } }) as unknown as StoredVersion,
);

describe('sign: a signer answering against the contract', () => {
  it.each([
    [
      'one signature too few',
      (n: number) => Array.from({ length: n - 1 }, () => record('S1')),
      'expected 2 signatures, got 1',
    ],
    [
      'one signature too many',
      (n: number) => Array.from({ length: n + 1 }, () => record('S1')),
      'expected 2 signatures, got 3',
    ],
    [
      'a signature by another seal',
      () => [record('S1'), record('S2')],
      "signature 1 is by seal S2, not the pipeline's seal S1",
    ],
  ])('refuses %s, naming the signer and what it returned', async (_, answer, detail) => {
    const signed = signStoredVersions(stub(answer), 'S1', versions);
    await expect(signed).rejects.toThrow(
      `sign: signer city-seal: ${detail}; nothing of the batch is recorded`,
    );
    await expect(signed).rejects.toSatisfy(
      (e) => e instanceof LicbridgeError && e.code === ErrorCodes.SIGNER_FAILED && !e.retryable,
    );
  });

  it('records a batch answered as the contract says', async () => {
    const rows = await signStoredVersions(
      stub((n) => Array.from({ length: n }, () => record('S1'))),
      'S1',
      versions,
    );
    expect(rows.map((r) => [r.versionId, r.contentHash, r.sealId])).toEqual([
      [1, 'h1', 'S1'],
      [2, 'h2', 'S1'],
    ]);
  });
});
