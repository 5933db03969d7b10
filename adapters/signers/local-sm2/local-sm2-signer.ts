/**
 * A signer that holds the seal's SM2 key in this process. For development, testing and units
 * that hold a soft certificate; legally binding seals come from certified signing servers.
 */

import * as nodeCrypto from 'node:crypto';
import { type Defaulted, withSchemaDefaults } from '../../../config/schema-defaults.js';
import { ErrorCodes, LicbridgeError } from '../../../core/errors.js';
import {
  checkCertificate,
  keyId,
  readCertificate,
  type SealCertificate,
  validityProblem,
} from '../certificate.js';
import {
  assertSm3Digests,
  DEFAULT_DIST_ID,
  type DescribedSigner,
  type DigestSigner,
  type SignatureRecord,
  type SignerKeyInfo,
  SM2_SM3_OID,
} from '../signer.js';
import type { LocalSm2SignerConfig } from './config.js';
import { bigIntToBytes } from './curve.js';
import { decodeSm2Signature } from './der.js';
import { configuredKeyOrigin, configuredKeyPem } from './key-file.js';
import { loadSm2PrivateKey, parseSm2PublicKeyPem } from './keys.js';
import { localSm2Kind } from './kind.js';
import { createSm2SignKernel, type Sm2KernelMaterial } from './sign-kernel.js';
import { type Sm2PrivateKey, sm2DigestWithZ, sm2Verify, sm2VerifyDigest, sm2Z } from './sm2.js';
import { assertPoolSize, resolvePoolSize, Sm2WorkerLost, Sm2WorkerPool } from './worker-pool.js';

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

/** Signs messages in order: on the calling thread, or split across a worker_threads pool. */
export interface Sm2SignEngine {
  sign(messages: readonly Uint8Array[]): Promise<Sm2SignOutput[]>;
  /** Signs precomputed digests e = SM3(Z ‖ M), 32 bytes each. */
  signDigests(digests: readonly Uint8Array[]): Promise<Uint8Array[]>;
  close(): Promise<void>;
}

/** The kernel's plain-data material (hex scalars, Z) for a prepared key. */
export function kernelMaterial(material: Sm2SigningMaterial): Sm2KernelMaterial {
  return {
    dHex: Buffer.from(bigIntToBytes(material.privateKey.d)).toString('hex'),
    dPlus1InvHex: material.privateKey.dPlus1Inv.toString(16),
    z: material.z,
  };
}

/** The in-process engine: signs synchronously on the calling thread. */
export function createInProcessEngine(material: Sm2SigningMaterial): Sm2SignEngine {
  const kernel = createSm2SignKernel(nodeCrypto, kernelMaterial(material));
  return {
    async sign(messages) {
      return kernel.signMessages(messages);
    },
    async signDigests(digests) {
      return kernel.signDigests(digests);
    },
    async close() {
      kernel.dispose();
    },
  };
}

/**
 * A worker_threads engine with `size` workers, started at the first batch: many opens sign nothing
 * (an extract job, a run with nothing new, a reconcile, `seal install`), and each thread costs a
 * start and a load of the kernel (two threads and ~12 ms of CPU per open and close on 2 cores).
 */
export function createPoolEngine(material: Sm2SigningMaterial, size: number): Sm2SignEngine {
  // A size no pool can have is refused at open, as when the pool was started there.
  assertPoolSize(size);
  const kernel = kernelMaterial(material);
  let pool: Sm2WorkerPool | undefined;
  let closed = false;
  const started = (): Sm2WorkerPool => {
    if (closed) throw new Sm2WorkerLost('sm2 pool: closed');
    pool ??= new Sm2WorkerPool(kernel, size);
    return pool;
  };
  return {
    async sign(messages) {
      return messages.length === 0 ? [] : started().signMessages(messages);
    },
    async signDigests(digests) {
      return digests.length === 0 ? [] : started().signDigests(digests);
    },
    async close() {
      closed = true;
      await pool?.close();
    },
  };
}

/** Test seams: the clock certificate validity is checked against. */
export interface LocalSm2SignerOptions {
  /** @defaultValue `() => new Date()` */
  now?: () => Date;
}

export class LocalSm2Signer implements DescribedSigner, DigestSigner {
  readonly kind = LOCAL_SM2_KIND;
  readonly name: string;
  private readonly config: Defaulted<LocalSm2SignerConfig, 'workers'>;
  private readonly distId: string;
  private readonly now: () => Date;
  private engine: Sm2SignEngine | undefined;
  private publicPem: string | undefined;
  private zValue: Uint8Array | undefined;
  private certificate: SealCertificate | undefined;

  constructor(name: string, config: LocalSm2SignerConfig, options: LocalSm2SignerOptions = {}) {
    this.name = name;
    // A loaded config has every default already; one built in code gets them from the same schema.
    this.config = withSchemaDefaults(localSm2Kind.schema, config) as Defaulted<
      LocalSm2SignerConfig,
      'workers'
    >;
    this.distId = this.config.distId;
    this.now = options.now ?? (() => new Date());
  }

  private fail(detail: string, cause?: unknown): LicbridgeError {
    return new LicbridgeError(ErrorCodes.SIGNER_KEY, `signer ${this.name}: ${detail}`, {
      context: { signer: this.name },
      cause,
    });
  }

  /** The key PEM from `key` or `keyFile` (exactly one). */
  private keyPem(): string {
    const { key, keyFile } = this.config;
    if (key !== undefined && keyFile !== undefined) throw this.fail('set `key` or `keyFile`, not both');
    // `key: "${file:…}"` was read by the config loader; its file gets the same mode check.
    const pem = configuredKeyPem(this.name, this.config);
    if (pem === undefined) throw this.fail('no private key: set `key` or `keyFile`');
    return pem;
  }

  /**
   * Every check happens here, before the first signature: the key file's permissions, the PEM,
   * the passphrase, the curve, the certificate (same key, valid now), and a sign-and-verify
   * self-check. Errors name the signer; none carries key material or the passphrase.
   */
  async open(): Promise<void> {
    if (this.engine) return;
    const { privateKey, publicKeyPem } = loadSm2PrivateKey(
      this.name,
      this.keyPem(),
      this.config.passphrase,
      configuredKeyOrigin(this.config),
    );
    if (this.config.certificate !== undefined) {
      const cert = readCertificate(this.name, this.config.certificate);
      checkCertificate(this.name, cert, publicKeyPem, this.config.certificate, this.now());
      this.certificate = cert;
    }
    let z: Uint8Array;
    try {
      z = sm2Z(privateKey.publicKey, this.distId);
    } catch (e) {
      throw this.fail(`distId: ${(e as Error).message}`, e);
    }
    const material: Sm2SigningMaterial = { privateKey, z };
    // Pairwise-consistency check (as FIPS 140 asks of key loading), through the same kernel
    // that signs: a key that cannot produce a verifiable signature fails here. Verified `once`:
    // each run's runtime opens its signer again, and a verification table for the key (built on
    // its third open) would cost more than all the self-checks it served (sm2.ts).
    const probe = Buffer.from('licbridge key check', 'utf8');
    const kernel = createSm2SignKernel(nodeCrypto, kernelMaterial(material));
    const [out] = kernel.signMessages([probe]);
    kernel.dispose();
    if (
      !out ||
      !sm2VerifyDigest(privateKey.publicKey, sm2DigestWithZ(z, probe), decodeSm2Signature(out.signature), {
        once: true,
      })
    ) {
      throw this.fail('private key: self-check failed');
    }
    const threads = resolvePoolSize(this.config.workers);
    this.publicPem = publicKeyPem;
    this.zValue = z;
    this.engine =
      this.config.workers === 0 ? createInProcessEngine(material) : createPoolEngine(material, threads);
  }

  /** The open engine and the certificate, valid now; refuses otherwise (before anything is signed). */
  private ready(): { engine: Sm2SignEngine; cert: SealCertificate | undefined } {
    const engine = this.engine;
    if (!engine) {
      throw new LicbridgeError(ErrorCodes.SIGNER_FAILED, `signer ${this.name}: sign called before open()`, {
        context: { signer: this.name },
      });
    }
    // The certificate again, at the time each signature records: a worker keeps its signer open
    // for weeks, and a signature made after the certificate ended verifies as invalid forever.
    const cert = this.certificate;
    this.refuseOutsideValidity(cert, this.now());
    return { engine, cert };
  }

  /**
   * The signing time of signatures just made, the certificate checked at it: a batch handed to
   * the signing threads waits behind the batches before it, and a certificate that ended
   * meanwhile would have its signatures recorded as made while it was valid.
   */
  private signedNow(cert: SealCertificate | undefined): Date {
    const signedAt = this.now();
    this.refuseOutsideValidity(cert, signedAt);
    return signedAt;
  }

  private refuseOutsideValidity(cert: SealCertificate | undefined, at: Date): void {
    const problem = cert ? validityProblem(cert, at) : null;
    if (cert && problem) {
      throw this.fail(
        `certificate: ${this.config.certificate} (serial ${cert.serial}) is ${problem}; refusing to sign`,
      );
    }
  }

  private async run<T>(work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (e) {
      // A batch lost with its thread is signed again on a new one (the pool replaces it): retryable,
      // or the sign stage failed the job for good and its versions waited for a person.
      // A lost thread is named (`sm2 worker: exited with code 1`, `… (ERR_WORKER_OUT_OF_MEMORY)`):
      // the job's failure and the worker's log line show the message only, never its cause.
      const lost = e instanceof Sm2WorkerLost ? `: ${e.message}` : '';
      throw new LicbridgeError(ErrorCodes.SIGNER_FAILED, `signer ${this.name}: signing failed${lost}`, {
        context: { signer: this.name },
        cause: e,
        retryable: e instanceof Sm2WorkerLost,
      });
    }
  }

  private record(out: Sm2SignOutput, signedAt: Date, cert: SealCertificate | undefined): SignatureRecord {
    return {
      algorithm: SM2_SM3_OID,
      digest: Buffer.from(out.digest).toString('hex'),
      signature: out.signature,
      distId: this.distId,
      sealId: this.config.sealId,
      signerKind: LOCAL_SM2_KIND,
      certificateSerial: cert?.serial ?? null,
      certificateIssuer: cert?.issuer ?? null,
      signedAt,
    };
  }

  async sign(messages: readonly Uint8Array[]): Promise<SignatureRecord[]> {
    const { engine, cert } = this.ready();
    const outputs = await this.run(() => engine.sign(messages));
    const signedAt = this.signedNow(cert);
    return outputs.map((out) => this.record(out, signedAt, cert));
  }

  async signDigests(digests: readonly Uint8Array[]): Promise<SignatureRecord[]> {
    const { engine, cert } = this.ready();
    assertSm3Digests(this.name, digests);
    const signatures = await this.run(() => engine.signDigests(digests));
    const signedAt = this.signedNow(cert);
    return signatures.map((signature, i) =>
      this.record({ digest: digests[i] as Uint8Array, signature }, signedAt, cert),
    );
  }

  z(): Uint8Array {
    if (this.zValue === undefined) {
      throw new LicbridgeError(ErrorCodes.SIGNER_FAILED, `signer ${this.name}: z() before open()`, {
        context: { signer: this.name },
      });
    }
    return this.zValue;
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

  keyInfo(): SignerKeyInfo {
    const publicKeyPem = this.publicKeyPem();
    const cert = this.certificate;
    return {
      sealId: this.config.sealId,
      signerKind: LOCAL_SM2_KIND,
      distId: this.distId,
      publicKeyPem,
      keyId: keyId(publicKeyPem),
      certificatePem: cert?.pem ?? null,
      certificateSerial: cert?.serial ?? null,
      certificateIssuer: cert?.issuer ?? null,
      notBefore: cert?.notBefore ?? null,
      notAfter: cert?.notAfter ?? null,
    };
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
