/**
 * The simulated signing device: real SM2 signatures over the digests it is sent, at most
 * `capacityPerSecond` of them per second. Capacity is a virtual timeline — each batch reserves
 * `batch / capacity` seconds after the previous reservation — so throughput is capped exactly
 * however many requests are in flight, as a hardware module's is.
 */
import * as nodeCrypto from 'node:crypto';
import { bigIntToBytes } from '../../signers/local-sm2/curve.js';
import { loadSm2PrivateKey } from '../../signers/local-sm2/keys.js';
import { createSm2SignKernel, type Sm2SignKernel } from '../../signers/local-sm2/sign-kernel.js';

export interface SimulatedKey {
  /** PKCS#8 PEM of the key the device holds. */
  privateKeyPem: string;
  /** Served with the public key when set. */
  certificatePem?: string;
}

export class SigningDevice {
  readonly publicKeyPem: string;
  readonly certificatePem: string | undefined;
  readonly #kernel: Sm2SignKernel;

  constructor(label: string, key: SimulatedKey) {
    const loaded = loadSm2PrivateKey(`simulator:${label}`, key.privateKeyPem);
    this.publicKeyPem = loaded.publicKeyPem;
    this.certificatePem = key.certificatePem;
    // The device signs e as given (the client computed Z); Z is unused here.
    this.#kernel = createSm2SignKernel(nodeCrypto, {
      dHex: Buffer.from(bigIntToBytes(loaded.privateKey.d)).toString('hex'),
      dPlus1InvHex: loaded.privateKey.dPlus1Inv.toString(16),
      z: new Uint8Array(32),
    });
  }

  sign(digests: readonly Uint8Array[]): Uint8Array[] {
    return this.#kernel.signDigests(digests);
  }
}

/** The capacity timeline shared by every key of one simulated server. */
export class Capacity {
  readonly #perSecond: number;
  #nextFree = 0;

  /** `perSecond` ≤ 0 means unlimited. */
  constructor(perSecond: number) {
    this.#perSecond = perSecond;
  }

  /** Milliseconds from `now` until a batch of `count` signatures is done. */
  reserve(count: number, now: number): number {
    if (this.#perSecond <= 0) return 0;
    const start = Math.max(now, this.#nextFree);
    this.#nextFree = start + (count * 1000) / this.#perSecond;
    return this.#nextFree - now;
  }
}
