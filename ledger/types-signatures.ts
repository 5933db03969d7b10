/**
 * Signatures and seal keys in the ledger (ledger/signatures.ts, ledger/signing-keys.ts,
 * ledger/signing-queries.ts): the records, the selections that page over versions, and the port.
 */

export interface StoredSignature {
  versionId: number;
  contentHash: string;
  algorithm: string;
  digest: string;
  signature: Uint8Array;
  distId: string;
  sealId: string;
  signerKind: string;
  certificateSerial: string | null;
  certificateIssuer: string | null;
  signedAt: Date;
}

/** A seal key the ledger knows (ledger/signing-keys.ts). */
export interface SigningKeyRecord {
  /** Hex SM3 of the SPKI DER. */
  keyId: string;
  sealId: string;
  signerKind: string;
  distId: string;
  publicKeyPem: string;
  certificatePem: string | null;
  certificateSerial: string | null;
  certificateIssuer: string | null;
  notBefore: Date | null;
  notAfter: Date | null;
}

/** A keyset page of versions without a signature by the seal. */
export interface UnsignedVersionPageQuery {
  sealId: string;
  pipeline?: string;
  afterVersionId: number;
  limit: number;
}

export interface ResignSelection {
  /** The seal to sign under. */
  sealId: string;
  afterVersionId: number;
  limit: number;
  pipeline?: string;
  licenseIds?: readonly string[];
  /** Only versions already signed by this seal. */
  fromSealId?: string;
  /** Every version instead of each license's latest. @defaultValue false */
  allVersions?: boolean;
}

/**
 * Signatures and seal keys (ledger/signatures.ts, ledger/signing-keys.ts, ledger/signing-
 * queries.ts).
 */
export interface SignatureLedger {
  /** Version ids without a signature by the given seal, oldest first. */
  unsignedVersionIds(options: { sealId: string; pipeline?: string; limit?: number }): Promise<number[]>;
  /** Idempotent: a (version, seal) pair already signed keeps its first signature. */
  recordSignatures(signatures: readonly StoredSignature[]): Promise<number>;
  getSignatures(versionIds: readonly number[]): Promise<StoredSignature[]>;
  /** Records a seal key (and certificate) that signs; the same key and certificate again is a no-op. */
  registerSigningKey(key: SigningKeyRecord): Promise<void>;
  /** Registered seal keys, of the given seals or all. */
  signingKeys(sealIds?: readonly string[]): Promise<SigningKeyRecord[]>;
  /** Version ids after `afterVersionId` without a signature by the seal, ascending (keyset pages). */
  unsignedVersionPage(options: UnsignedVersionPageQuery): Promise<number[]>;
  countUnsignedVersions(options: { sealId: string; pipeline?: string }): Promise<number>;
  /** Version ids to re-sign under a new seal, ascending (keyset pages). */
  resignCandidates(selection: ResignSelection): Promise<number[]>;
  /** How many versions a re-sign selection still holds (all pages). */
  countResignCandidates(selection: Omit<ResignSelection, 'afterVersionId' | 'limit'>): Promise<number>;
}
