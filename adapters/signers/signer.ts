/**
 * The signer contract. A signer turns the bytes of a license's canonical form into an SM2
 * signature (GB/T 32918, SM3 digest with Z over the distinguishing id).
 */
import { ErrorCodes, LicbridgeError } from '../../core/errors.js';

/** OID of sm2sign-with-sm3. */
export const SM2_SM3_OID = '1.2.156.10197.1.501';
export const DEFAULT_DIST_ID = '1234567812345678';

export interface SignatureRecord {
  algorithm: string;
  /** hex of e = SM3(Z ‖ M), the value the SM2 signature is computed over. */
  digest: string;
  /** DER `SEQUENCE { r INTEGER, s INTEGER }`. */
  signature: Uint8Array;
  distId: string;
  sealId: string;
  signerKind: string;
  certificateSerial: string | null;
  certificateIssuer: string | null;
  signedAt: Date;
}

export interface Signer {
  readonly name: string;
  readonly kind: string;
  /** Checks keys, passphrases and certificates; throws before the first signature if anything is wrong. */
  open(): Promise<void>;
  /** Signs each message (the canonical bytes), in order. */
  sign(messages: readonly Uint8Array[]): Promise<SignatureRecord[]>;
  /** The public key as SPKI PEM, for verifiers. */
  publicKeyPem(): string;
  close(): Promise<void>;
}

/** The public side of a signer's key: what verifiers and the ledger's key registry need. */
export interface SignerKeyInfo {
  sealId: string;
  signerKind: string;
  distId: string;
  /** SPKI PEM of the signing key. */
  publicKeyPem: string;
  /** Hex SM3 of the SPKI DER. */
  keyId: string;
  /** The seal certificate, when one is configured or served. */
  certificatePem: string | null;
  certificateSerial: string | null;
  certificateIssuer: string | null;
  notBefore: Date | null;
  notAfter: Date | null;
}

/** A signer that can describe its key (both built-in signers do, after `open()`). */
export interface DescribedSigner extends Signer {
  keyInfo(): SignerKeyInfo;
}

export function isDescribedSigner(signer: Signer): signer is DescribedSigner {
  return typeof (signer as Partial<DescribedSigner>).keyInfo === 'function';
}

/**
 * A signer that signs a digest its caller computed: e = SM3(Z ‖ M) (GB/T 32918.2 §6.1), Z from
 * `z()`. A message too large to hold (an audit export of millions of entries) is hashed as it is
 * written; the signature is the one `sign([M])` makes, and verifies over M as any SM2 signature.
 * Both built-in signers are, after `open()`.
 */
export interface DigestSigner extends Signer {
  /** Z = SM3(ENTL ‖ ID ‖ a ‖ b ‖ Gx ‖ Gy ‖ Px ‖ Py) for this signer's key and distinguishing id. */
  z(): Uint8Array;
  /** Signs each precomputed digest e (32 bytes), in order. */
  signDigests(digests: readonly Uint8Array[]): Promise<SignatureRecord[]>;
}

export function isDigestSigner(signer: Signer): signer is DigestSigner {
  const s = signer as Partial<DigestSigner>;
  return typeof s.z === 'function' && typeof s.signDigests === 'function';
}

/** Refuses a digest that is not 32 bytes (an SM3 value) before anything is signed, naming the signer. */
export function assertSm3Digests(signer: string, digests: readonly Uint8Array[]): void {
  for (const [i, d] of digests.entries()) {
    if (d.length !== 32) {
      throw new LicbridgeError(
        ErrorCodes.SIGNER_FAILED,
        `signer ${signer}: digest ${i} is ${d.length} bytes, expected 32 (SM3)`,
        { context: { signer } },
      );
    }
  }
}
