import type { Signer } from '../../adapters/signers/signer.js';
import { canonicalBytes } from '../../catalog/canonical.js';
import { ErrorCodes, LicbridgeError } from '../../core/errors.js';
import type { SignatureLedger, StoredSignature, StoredVersion, VersionLedger } from '../../ledger/ledger.js';
import { registerSignerKey } from '../signing-keys.js';

/**
 * Signs the canonical form of each version that the seal has not signed yet, and records the
 * signatures. Idempotent: a version already signed by this seal is skipped, and the ledger keeps
 * the first signature if two workers race. Returns the ids now signed (old and new).
 *
 * The signer's key is registered in the ledger before its first signature, as `sign backfill`
 * does: the ledger then records which key and certificate made every signature, and after a key
 * rotation `verify` can say which retired key an old signature needs in the trust list.
 */
export async function signVersions(
  signer: Signer,
  sealId: string,
  ledger: VersionLedger & SignatureLedger,
  versionIds: readonly number[],
): Promise<{ signedIds: number[]; newlySigned: number }> {
  const existing = await ledger.getSignatures(versionIds);
  const done = new Set(existing.filter((s) => s.sealId === sealId).map((s) => s.versionId));
  const todo = versionIds.filter((id) => !done.has(id));
  let newlySigned = 0;
  if (todo.length > 0) {
    await registerSignerKey(ledger, signer);
    const rows = await signStoredVersions(signer, sealId, await ledger.getVersions(todo));
    newlySigned = await ledger.recordSignatures(rows);
  }
  return { signedIds: [...versionIds], newlySigned };
}

/**
 * Signs the canonical form of each version with the seal and returns the ledger records, in order.
 * The one place a signer's output becomes a signature record: the sign stage and the backfill
 * command both go through it.
 *
 * Not async: the versions (their payload texts and parsed licenses) are let go once their bytes
 * are made, and only ids and hashes wait for the signer. An async function keeps its arguments
 * until it returns, and a batch's licenses, held while the signer pool works, outlived the young
 * generation and were promoted to the old one with every batch.
 */
export function signStoredVersions(
  signer: Signer,
  sealId: string,
  versions: readonly StoredVersion[],
): Promise<StoredSignature[]> {
  const keys = versions.map((v) => ({ versionId: v.versionId, contentHash: v.contentHash }));
  const bytes = versions.map((v) => canonicalBytes(v.payload));
  return signer.sign(bytes).then((records) => signatureRecords(signer.name, sealId, keys, records));
}

/**
 * A signer that answers with another count of signatures, or under another seal, broke the
 * contract: nothing of the batch is recorded, and the error names the signer and what it
 * returned. Not retryable: asking the same signer again gets the same answer.
 */
function wrongAnswer(signer: string, sealId: string, detail: string): LicbridgeError {
  return new LicbridgeError(
    ErrorCodes.SIGNER_FAILED,
    `sign: signer ${signer}: ${detail}; nothing of the batch is recorded`,
    {
      context: { signer, sealId },
    },
  );
}

function signatureRecords(
  signer: string,
  sealId: string,
  keys: readonly Pick<StoredVersion, 'versionId' | 'contentHash'>[],
  records: Awaited<ReturnType<Signer['sign']>>,
): StoredSignature[] {
  if (records.length !== keys.length)
    throw wrongAnswer(signer, sealId, `expected ${keys.length} signatures, got ${records.length}`);
  return keys.map((key, i) => {
    const r = records[i] as (typeof records)[number];
    if (r.sealId !== sealId)
      throw wrongAnswer(
        signer,
        sealId,
        `signature ${i} is by seal ${r.sealId}, not the pipeline's seal ${sealId}`,
      );
    return {
      versionId: key.versionId,
      contentHash: key.contentHash,
      algorithm: r.algorithm,
      digest: r.digest,
      signature: r.signature,
      distId: r.distId,
      sealId: r.sealId,
      signerKind: r.signerKind,
      certificateSerial: r.certificateSerial,
      certificateIssuer: r.certificateIssuer,
      signedAt: r.signedAt,
    };
  });
}
