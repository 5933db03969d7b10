/**
 * A signer that holds the seal's SM2 key in this process. For development, testing and units
 * that hold a soft certificate; legally binding seals come from certified signing servers.
 */
import type { LocalSm2SignerConfig } from '../../../config/types.js';
import { ErrorCodes, LicbridgeError } from '../../../core/errors.js';
import { DEFAULT_DIST_ID, type SignatureRecord, type Signer, SM2_SM3_OID } from '../signer.js';
import { warmUpSm2 } from './curve.js';
import { loadSm2PrivateKey, parseSm2PublicKeyPem } from './keys.js';
import {
  encodeSm2Signature,
  type Sm2PrivateKey,
  sm2DigestWithZ,
  sm2SignDigest,
  sm2Verify,
  sm2VerifyDigest,
  sm2Z,
} from './sm2.js';

export const LOCAL_SM2_KIND = 'local-sm2';

/** Everything a signing engine needs; plain data so it can be handed to worker threads. */
export interface Sm2SigningMaterial {
  readonly privateKey: Sm2PrivateKey;
  /** Z for the configured distinguishing id, computed once per key. */
  readonly z: Uint8Array;
}

/** One signed message, before the signer adds seal and certificate fields. */
export interface Sm2SignOutput {
  digest: Uint8Array;
  signature: Uint8Array;
}

/**
 * Signs messages in order. In-process now; a worker_threads pool implements the same shape and
 * splits a batch across workers, each building its own base-point table once.
 */
export interface Sm2SignEngine {
  sign(messages: readonly Uint8Array[]): Promise<Sm2SignOutput[]>;
  close(): Promise<void>;
}

/** The in-process engine: signs synchronously on the calling thread. */
export function createInProcessEngine(material: Sm2SigningMaterial): Sm2SignEngine {
  return {
    async sign(messages) {
      return messages.map((message) => {
        const digest = sm2DigestWithZ(material.z, message);
        return { digest, signature: encodeSm2Signature(sm2SignDigest(material.privateKey, digest)) };
      });
    },
    async close() {},
  };
}

export class LocalSm2Signer implements Signer {
  readonly kind = LOCAL_SM2_KIND;
  readonly name: string;
  private readonly config: LocalSm2SignerConfig;
  private readonly distId: string;
  private engine: Sm2SignEngine | undefined;
  private publicPem: string | undefined;

  constructor(name: string, config: LocalSm2SignerConfig) {
    this.name = name;
    this.config = config;
    this.distId = config.distId ?? DEFAULT_DIST_ID;
  }

  async open(): Promise<void> {
    if (this.engine) return;
    const { privateKey, publicKeyPem } = loadSm2PrivateKey(
      this.name,
      this.config.key,
      this.config.passphrase,
    );
    let z: Uint8Array;
    try {
      z = sm2Z(privateKey.publicKey, this.distId);
    } catch (e) {
      throw new LicbridgeError(
        ErrorCodes.SIGNER_KEY,
        `signer ${this.name}: distId: ${(e as Error).message}`,
        {
          context: { signer: this.name },
          cause: e,
        },
      );
    }
    // Build the base-point table now so the first batch does not pay for it.
    warmUpSm2();
    // Pairwise-consistency check (as FIPS 140 asks of key loading): a key that cannot produce a
    // verifiable signature fails here, not on the first license.
    const probe = Buffer.from('licbridge key check', 'utf8');
    const probeDigest = sm2DigestWithZ(z, probe);
    if (!sm2VerifyDigest(privateKey.publicKey, probeDigest, sm2SignDigest(privateKey, probeDigest))) {
      throw new LicbridgeError(ErrorCodes.SIGNER_KEY, `signer ${this.name}: private key: self-check failed`, {
        context: { signer: this.name },
      });
    }
    this.publicPem = publicKeyPem;
    this.engine = createInProcessEngine({ privateKey, z });
  }

  async sign(messages: readonly Uint8Array[]): Promise<SignatureRecord[]> {
    const engine = this.engine;
    if (!engine) {
      throw new LicbridgeError(ErrorCodes.SIGNER_FAILED, `signer ${this.name}: sign called before open()`, {
        context: { signer: this.name },
      });
    }
    let outputs: Sm2SignOutput[];
    try {
      outputs = await engine.sign(messages);
    } catch (e) {
      throw new LicbridgeError(ErrorCodes.SIGNER_FAILED, `signer ${this.name}: signing failed`, {
        context: { signer: this.name },
        cause: e,
      });
    }
    const signedAt = new Date();
    return outputs.map((out) => ({
      algorithm: SM2_SM3_OID,
      digest: Buffer.from(out.digest).toString('hex'),
      signature: out.signature,
      distId: this.distId,
      sealId: this.config.sealId,
      signerKind: LOCAL_SM2_KIND,
      // Filled from the seal certificate once certificates are supported.
      certificateSerial: null,
      certificateIssuer: null,
      signedAt,
    }));
  }

  publicKeyPem(): string {
    if (this.publicPem === undefined) {
      throw new LicbridgeError(
        ErrorCodes.SIGNER_FAILED,
        `signer ${this.name}: publicKeyPem() before open()`,
        {
          context: { signer: this.name },
        },
      );
    }
    return this.publicPem;
  }

  async close(): Promise<void> {
    const engine = this.engine;
    // Drop the key reference; bigints cannot be wiped, but nothing keeps them reachable.
    this.engine = undefined;
    if (engine) await engine.close();
  }
}

/**
 * Verifies a DER SM2 signature with an SPKI PEM public key. False for a wrong or malformed
 * signature; throws if the PEM is not an SM2 public key.
 */
export function verifySm2Signature(
  publicKeyPem: string,
  message: Uint8Array,
  derSignature: Uint8Array,
  distId: string = DEFAULT_DIST_ID,
): boolean {
  return sm2Verify(parseSm2PublicKeyPem(publicKeyPem), message, derSignature, distId);
}
