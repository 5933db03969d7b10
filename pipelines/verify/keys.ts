/**
 * The keys `verify` checks signatures with. Trusted: what the operator configured — each
 * signer's current key and its certificate, and the `trust` list of retired keys. The ledger's
 * key registry is read too, but only to explain a failure ("verifies with a ledger key the
 * config does not trust"): a key is never trusted because the ledger it verifies holds it.
 */
import {
  keyFingerprint,
  parseCertificate,
  readCertificate,
  sameKey,
} from '../../adapters/signers/certificate.js';
import { createSigner } from '../../adapters/signers/create-signer.js';
import { parseSm2PublicKeyPem } from '../../adapters/signers/local-sm2/keys.js';
import { isDescribedSigner } from '../../adapters/signers/signer.js';
import { readTrustFile } from '../../adapters/signers/trust-file.js';
import type { VerificationKey } from '../../adapters/signers/verify-signature.js';
import type { Config } from '../../config/types.js';
import type { Logger } from '../../core/logger.js';
import type { Ledger } from '../../ledger/ledger.js';

type KeyInput = Omit<VerificationKey, 'fingerprint'>;

function sameEntry(a: KeyInput, b: KeyInput): boolean {
  return (
    a.sealId === b.sealId &&
    (a.certificate?.serial ?? null) === (b.certificate?.serial ?? null) &&
    sameKey(a.publicKeyPem, b.publicKeyPem)
  );
}

class KeySet {
  readonly keys: VerificationKey[] = [];

  add(k: KeyInput): void {
    if (this.keys.some((have) => have.trusted === k.trusted && sameEntry(have, k))) return;
    this.keys.push({ ...k, fingerprint: keyFingerprint(k.publicKeyPem) });
  }
}

function message(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** Each configured signer's certificate (read from its file) and current key (from `open()`). */
async function signerKeys(config: Readonly<Config>, set: KeySet, logger: Logger): Promise<void> {
  for (const [name, signerConfig] of Object.entries(config.signers)) {
    const sealId = signerConfig.sealId;
    if (signerConfig.certificate !== undefined) {
      // The certificate alone is enough: a seal whose key cannot be opened here (an expired
      // certificate, a signing server out of reach) still verifies what it signed.
      try {
        const certificate = readCertificate(name, signerConfig.certificate);
        set.add({
          sealId,
          publicKeyPem: certificate.publicKeyPem,
          certificate,
          origin: `signer ${name} certificate`,
          trusted: true,
        });
      } catch (e) {
        logger.warn({ signer: name, err: message(e) }, 'verify: signer certificate unreadable');
      }
    }
    // Only the public side is needed: no worker pool for a local key.
    const signer = await createSigner(
      name,
      signerConfig.kind === 'local-sm2' ? { ...signerConfig, workers: 0 } : signerConfig,
    );
    try {
      await signer.open();
      if (!isDescribedSigner(signer)) continue;
      const info = signer.keyInfo();
      set.add({
        sealId: info.sealId,
        publicKeyPem: info.publicKeyPem,
        certificate:
          info.certificatePem === null ? null : parseCertificate(name, info.certificatePem, `signer ${name}`),
        origin: `signer ${name}`,
        trusted: true,
      });
    } catch (e) {
      logger.warn(
        { signer: name, err: message(e) },
        'verify: signer unavailable; its current key is not used',
      );
    } finally {
      await signer.close();
    }
  }
}

/** Ledger-registered keys, untrusted; rows that do not parse are skipped (the ledger may be tampered with). */
async function ledgerKeys(ledger: Ledger, set: KeySet): Promise<void> {
  for (const k of await ledger.signingKeys()) {
    try {
      parseSm2PublicKeyPem(k.publicKeyPem);
      const certificate =
        k.certificatePem === null ? null : parseCertificate('ledger', k.certificatePem, 'signing_keys');
      set.add({
        sealId: k.sealId,
        publicKeyPem: k.publicKeyPem,
        certificate,
        origin: 'ledger',
        trusted: false,
      });
    } catch {
      // Not a usable key: it can neither verify nor explain anything.
    }
  }
}

/**
 * Trusted keys from the config, then the ledger's keys as untrusted candidates. A trust-list file
 * that cannot be read or parsed throws: the operator named it, and skipping it would turn its
 * signatures into failures with no word of why.
 */
export async function verificationKeys(
  config: Readonly<Config>,
  ledger: Ledger,
  logger: Logger,
): Promise<VerificationKey[]> {
  const set = new KeySet();
  await signerKeys(config, set, logger);
  for (const [name, entry] of Object.entries(config.trust ?? {})) {
    // A seal maker's key makes seals and a TSA's stamps times; neither signs a license.
    if (entry.role !== undefined && entry.role !== 'signer') continue;
    for (const m of readTrustFile(entry.file)) {
      set.add({ sealId: entry.sealId, ...m, origin: `trust ${name}`, trusted: true });
    }
  }
  await ledgerKeys(ledger, set);
  return set.keys;
}
