import type { Signer } from '../../adapters/signers/signer.js';
import { canonicalBytes } from '../../catalog/canonical.js';
import type { Ledger, StoredSignature } from '../../ledger/ledger.js';

/**
 * Signs the canonical form of each version that the seal has not signed yet, and records the
 * signatures. Idempotent: a version already signed by this seal is skipped, and the ledger keeps
 * the first signature if two workers race. Returns the ids now signed (old and new).
 */
export async function signVersions(
  signer: Signer,
  sealId: string,
  ledger: Ledger,
  versionIds: readonly number[],
): Promise<{ signedIds: number[]; newlySigned: number }> {
  const existing = await ledger.getSignatures(versionIds);
  const done = new Set(existing.filter((s) => s.sealId === sealId).map((s) => s.versionId));
  const todo = versionIds.filter((id) => !done.has(id));
  let newlySigned = 0;
  if (todo.length > 0) {
    const versions = await ledger.getVersions(todo);
    const messages = versions.map((v) => canonicalBytes(v.payload));
    const records = await signer.sign(messages);
    const rows: StoredSignature[] = versions.map((v, i) => {
      const r = records[i];
      if (!r) throw new Error('signer: returned fewer signatures than messages');
      return {
        versionId: v.versionId,
        contentHash: v.contentHash,
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
    newlySigned = await ledger.recordSignatures(rows);
  }
  return { signedIds: [...versionIds], newlySigned };
}
