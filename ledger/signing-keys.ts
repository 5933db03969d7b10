/**
 * The seal key registry (migration 002): keys are registered by the signing commands before
 * they sign, and read by verification. Registering the same key and certificate twice is a no-op.
 * A key or certificate new to the registry is a `register-key` entry of the audit chain, in the
 * same transaction: its fingerprint as `digest`, the certificate's serial and validity in the detail.
 */
import { appendAudit } from './audit-chain.js';
import { type Db, nowIso, toDateOrNull } from './db.js';
import type { SigningKeyRecord } from './ledger.js';

interface SigningKeyRow {
  key_id: string;
  seal_id: string;
  signer_kind: string;
  dist_id: string;
  public_key: string;
  certificate: string | null;
  certificate_serial: string | null;
  certificate_issuer: string | null;
  not_before: unknown;
  not_after: unknown;
}

export async function registerSigningKey(db: Db, key: SigningKeyRecord): Promise<void> {
  await db.write('registerSigningKey', async (trx) => {
    const inserted: unknown[] = await trx('signing_keys')
      .insert({
        key_id: key.keyId,
        seal_id: key.sealId,
        signer_kind: key.signerKind,
        dist_id: key.distId,
        public_key: key.publicKeyPem,
        certificate: key.certificatePem,
        certificate_serial: key.certificateSerial,
        certificate_serial_key: key.certificateSerial ?? '',
        certificate_issuer: key.certificateIssuer,
        not_before: key.notBefore?.toISOString() ?? null,
        not_after: key.notAfter?.toISOString() ?? null,
        registered_at: nowIso(),
      })
      .onConflict(['seal_id', 'key_id', 'certificate_serial_key'])
      .ignore()
      .returning('key_id');
    if (inserted.length === 0) return;
    await appendAudit(db, trx, [
      {
        action: 'register-key',
        actor: `signer:${key.sealId}`,
        digest: key.keyId,
        detail: {
          signerKind: key.signerKind,
          distId: key.distId,
          certificateSerial: key.certificateSerial,
          notBefore: key.notBefore?.toISOString() ?? null,
          notAfter: key.notAfter?.toISOString() ?? null,
        },
      },
    ]);
  });
}

export async function signingKeys(db: Db, sealIds?: readonly string[]): Promise<SigningKeyRecord[]> {
  return db.read('signingKeys', async (k) => {
    const q = k('signing_keys').select('*').orderBy(['seal_id', 'registered_at']);
    if (sealIds !== undefined) q.whereIn('seal_id', [...sealIds]);
    const rows: SigningKeyRow[] = await q;
    return rows.map((r) => ({
      keyId: r.key_id,
      sealId: r.seal_id,
      signerKind: r.signer_kind,
      distId: r.dist_id,
      publicKeyPem: r.public_key,
      certificatePem: r.certificate,
      certificateSerial: r.certificate_serial,
      certificateIssuer: r.certificate_issuer,
      notBefore: toDateOrNull(r.not_before),
      notAfter: toDateOrNull(r.not_after),
    }));
  });
}
