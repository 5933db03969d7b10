/**
 * Registering a seal key in the ledger before it signs: one use case for the pipeline's sign
 * stage, `sign backfill` and `sign resign`, so every signature in the ledger has its key's public
 * side and certificate recorded next to it — whichever path signed it. The registry is a record
 * (which key signed, under which certificate), not a source of trust: `verify` trusts only keys
 * from the config (see `verify/signatures.ts`).
 */
import { parseCertificate, signingUseProblem } from '../adapters/signers/certificate.js';
import { createSigner } from '../adapters/signers/create-signer.js';
import { isDescribedSigner, type Signer, type SignerKeyInfo } from '../adapters/signers/signer.js';
import type { SignerConfig } from '../config/types.js';
import { ErrorCodes, LicbridgeError } from '../core/errors.js';
import type { SignatureLedger, SigningKeyRecord } from '../ledger/ledger.js';

function keyRecord(info: SignerKeyInfo): SigningKeyRecord {
  return {
    keyId: info.keyId,
    sealId: info.sealId,
    signerKind: info.signerKind,
    distId: info.distId,
    publicKeyPem: info.publicKeyPem,
    certificatePem: info.certificatePem,
    certificateSerial: info.certificateSerial,
    certificateIssuer: info.certificateIssuer,
    notBefore: info.notBefore,
    notAfter: info.notAfter,
  };
}

// One registration per (ledger, opened signer) in a process: a sign worker works many jobs with
// the same signer, and the insert is a no-op after the first anyway.
const registered = new WeakMap<SignatureLedger, WeakMap<Signer, Promise<void>>>();

/**
 * Records the signer's key (public key, certificate, serial, validity) in the ledger. Idempotent;
 * a failed write is retried on the next call. Signers that cannot describe their key are skipped.
 */
export async function registerSignerKey(ledger: SignatureLedger, signer: Signer): Promise<void> {
  if (!isDescribedSigner(signer)) return;
  let bySigner = registered.get(ledger);
  if (!bySigner) {
    bySigner = new WeakMap();
    registered.set(ledger, bySigner);
  }
  let done = bySigner.get(signer);
  if (!done) {
    const map = bySigner;
    done = registerSigning(ledger, signer.name, signer.keyInfo());
    map.set(signer, done);
    done.catch(() => map.delete(signer));
  }
  await done;
}

/**
 * Registers the key once its certificate may sign: one whose keyUsage names neither
 * digitalSignature nor nonRepudiation (a unit's encryption certificate, GB/T 20518: its key pair
 * is made and kept by the key management centre) stands behind no signature, and a platform
 * checking the certificate refuses every license signed under it. The signers check that the
 * certificate certifies the key and is valid; this is the one check before a license signature
 * in the ledger, as `seal make` and `sign files` refuse such a certificate for a seal.
 */
async function registerSigning(ledger: SignatureLedger, signer: string, info: SignerKeyInfo): Promise<void> {
  if (info.certificatePem !== null) {
    const use = signingUseProblem(parseCertificate(signer, info.certificatePem, 'signer'));
    if (use) {
      throw new LicbridgeError(
        ErrorCodes.SIGNER_KEY,
        `signer ${signer}: certificate serial ${info.certificateSerial} ${use}; no license is signed under it`,
        { context: { signer } },
      );
    }
  }
  await ledger.registerSigningKey(keyRecord(info));
}

/** Opens a configured signer (every key and certificate check runs here) and registers its key. */
export async function openRegisteredSigner(
  ledger: SignatureLedger,
  name: string,
  config: SignerConfig,
): Promise<Signer> {
  const signer = await createSigner(name, config);
  try {
    await signer.open();
    await registerSignerKey(ledger, signer);
    return signer;
  } catch (e) {
    await signer.close();
    throw e;
  }
}
