/**
 * Signing with an electronic seal: an `SES_Signature` (GB/T 38540 v4) per document, its `TBS_Sign`
 * signed through the signer contract (a local key or a signing server alike). Everything that
 * would make the seal unusable is checked in `open()`, before the first signature: the seal's
 * status in the config (revoked, art. 18; lost, art. 19), its validity, the maker's signature,
 * and that the signer's certificate is one the seal lists.
 */
import { createHash, type Hash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { SealConfig } from '../../../config/types.js';
import { ErrorCodes, LicbridgeError } from '../../../core/errors.js';
import { parseCertificate, signingUseProblem } from '../certificate.js';
import {
  DEFAULT_DIST_ID,
  type DescribedSigner,
  type DigestSigner,
  isDescribedSigner,
  isDigestSigner,
  type SignatureRecord,
  type Signer,
  type SignerKeyInfo,
  SM2_SM3_OID,
} from '../signer.js';
import { certificateDer, checkSeal, notYetMadeProblem, sealListsCertificate } from './check-seal.js';
import { generalizedTime } from './der-writer.js';
import { decodeSeal, type SesSeal } from './seal-format.js';
import {
  encodeSesSignatureOf,
  joinTbsSign,
  sesSignatureMiddle,
  tbsSignHead,
  tbsSignPrefix,
  tbsSignTail,
} from './signature-format.js';

/** One document to seal: the SM3 of what is signed and where it lives (GM/T 0099: Signature.xml). */
export interface SealRequest {
  dataHash: Uint8Array;
  propertyInfo: string;
}

export interface SealSignerOptions {
  /** @defaultValue `() => new Date()` */
  now?: () => Date;
}

/** A signer that signs digests, its Z, and SM3 states over the head of `TBS_Sign` by its length. */
interface DigestHeads {
  signer: DigestSigner;
  z: Uint8Array;
  heads: Map<number, Hash>;
}

/**
 * e = SM3(Z ‖ TBS_Sign) (GB/T 32918.2 §6.1), what `sign([tbs])` signs, for the `TBS_Sign` of
 * `prefix` and `tail`: the state after Z and the head that every `TBS_Sign` of this length shares
 * (the same tag and length octets, then the version and seal of `prefix`) copied, then the tail.
 */
function tbsDigest(digest: DigestHeads, prefix: Uint8Array, tail: Uint8Array): Uint8Array {
  const length = prefix.length + tail.length;
  let head = digest.heads.get(length);
  if (!head) {
    // Lengths differ only with propertyInfo's: a handful at most.
    if (digest.heads.size >= 64) digest.heads.clear();
    head = createHash('sm3').update(digest.z).update(tbsSignHead(prefix, tail)).update(prefix);
    digest.heads.set(length, head);
  }
  return head.copy().update(tail).digest();
}

const RULE = {
  revoked: 'art. 18: a revoked seal signs nothing',
  lost: 'art. 19: a seal reported lost signs nothing',
};

export class SealSigner {
  readonly name: string;
  readonly #config: SealConfig;
  readonly #signer: Signer;
  readonly #now: () => Date;
  #seal: SesSeal | undefined;
  /** What every signature of this seal and signer shares, encoded once at open(). */
  #shared: { tbsPrefix: Uint8Array; middle: Uint8Array } | undefined;
  /**
   * For a signer that signs digests: SM3 over Z ‖ the head of `TBS_Sign` (its tag and length,
   * the version, the whole `SESeal` — nearly all of its bytes), hashed once per length of
   * `TBS_Sign` and copied for each signature, which then hashes only its own last hundred bytes.
   */
  #digest: DigestHeads | undefined;
  /** The signer's certificate (PEM) and its validity, read at open(). */
  #holder: { pem: string; serial: string | null; notBefore: Date | null; notAfter: Date | null } | undefined;

  constructor(name: string, config: SealConfig, signer: Signer, options: SealSignerOptions = {}) {
    this.name = name;
    this.#config = config;
    this.#signer = signer;
    this.#now = options.now ?? (() => new Date());
  }

  #fail(detail: string, cause?: unknown): LicbridgeError {
    return new LicbridgeError(ErrorCodes.SIGNER_KEY, `seal ${this.name}: ${detail}`, {
      context: { seal: this.name, signer: this.#config.signer },
      cause,
    });
  }

  /**
   * Reads and checks the seal, then opens the signer. Throws naming the seal. Open already, it
   * returns the seal; after close(), it opens again from the start.
   */
  async open(): Promise<SesSeal> {
    if (this.#seal) return this.#seal;
    const status = this.#config.status;
    if (status === 'revoked' || status === 'lost') {
      throw this.#fail(`marked ${status} in the config; refusing to sign (${RULE[status]})`);
    }
    let bytes: Buffer;
    try {
      bytes = await readFile(this.#config.file);
    } catch (e) {
      throw this.#fail(
        `cannot read the seal file ${this.#config.file}: ${(e as NodeJS.ErrnoException).code ?? 'error'}`,
        e,
      );
    }
    let seal: SesSeal;
    try {
      seal = decodeSeal(bytes);
    } catch (e) {
      throw this.#fail(`${this.#config.file} is not a GB/T 38540 seal: ${(e as Error).message}`, e);
    }
    const { problems } = checkSeal(seal, this.#now());
    if (problems.length > 0) throw this.#fail(`cannot sign: ${problems.join('; ')}`);
    const { der, info } = await this.#openSigner(seal);
    this.#seal = seal;
    this.#holder = {
      pem: info.certificatePem as string,
      serial: info.certificateSerial,
      notBefore: info.notBefore,
      notAfter: info.notAfter,
    };
    this.#shared = { tbsPrefix: tbsSignPrefix(seal.der), middle: sesSignatureMiddle(der, SM2_SM3_OID) };
    this.#digest = isDigestSigner(this.#signer)
      ? { signer: this.#signer, z: this.#signer.z(), heads: new Map() }
      : undefined;
    return seal;
  }

  /**
   * Opens the signer and checks its certificate against the seal; throws naming the seal. Refused,
   * it closes the signer again: nothing else would, and a local signer's worker threads, its key
   * with them, kept the refused command's process alive after its error.
   */
  async #openSigner(seal: SesSeal): Promise<{ der: Uint8Array; info: SignerKeyInfo }> {
    await this.#signer.open();
    try {
      if (!isDescribedSigner(this.#signer))
        throw this.#fail(`signer ${this.#signer.name} cannot describe its key`);
      const info = (this.#signer as DescribedSigner).keyInfo();
      if (info.certificatePem === null) {
        throw this.#fail(
          `signer ${this.#signer.name} has no certificate; a seal signature carries the signer's certificate`,
        );
      }
      if (info.distId !== DEFAULT_DIST_ID) {
        throw this.#fail(
          `signer ${this.#signer.name} uses distinguishing id ${info.distId}; seal signatures use the default ${DEFAULT_DIST_ID}`,
        );
      }
      const der = certificateDer(info.certificatePem);
      if (!sealListsCertificate(seal, der)) {
        throw this.#fail(
          `the certificate of signer ${this.#signer.name} (serial ${info.certificateSerial}) is not one the seal lists`,
        );
      }
      const use = signingUseProblem(parseCertificate(this.#signer.name, info.certificatePem, 'signer'));
      if (use) {
        throw this.#fail(
          `the certificate of signer ${this.#signer.name} (serial ${info.certificateSerial}) ${use}`,
        );
      }
      return { der, info };
    } catch (e) {
      await this.#signer.close();
      throw e;
    }
  }

  get seal(): SesSeal {
    if (!this.#seal) throw this.#fail('not open (used before open(), or after close())');
    return this.#seal;
  }

  /** The signer's certificate (PEM), one the seal lists: whose seal it is (pipelines/seal-units.ts). */
  get holderCertificatePem(): string {
    if (!this.#holder) throw this.#fail('not open (used before open(), or after close())');
    return this.#holder.pem;
  }

  /** One DER `SES_Signature` per request, in order, all stamped with the same signing time. */
  async sign(requests: readonly SealRequest[], signedAt: Date = this.#now()): Promise<Uint8Array[]> {
    const shared = this.#shared;
    if (!shared) throw this.#fail('not open (used before open(), or after close())');
    // Checked at the signing time every SES_Signature carries, not only at open(): a long run
    // passes the seal's end, and a caller may give the time. A verifier (GB/T 38540 §7) fails a
    // signature made outside the seal's validity or its signer certificate's.
    const problems = this.#outsideValidity(signedAt);
    if (problems.length > 0)
      throw this.#fail(`cannot sign at ${signedAt.toISOString()}: ${problems.join('; ')}`);
    const { tbsPrefix, middle } = shared;
    const time = generalizedTime(signedAt);
    // Arrays pushed to, not made by `map`: an array `map` makes is packed until V8 compiles the
    // function that calls it and holey after, and code compiled for one kind is thrown away at the
    // first of the other (adapters/documents/ofd/ofd-signature.ts).
    // Each signature's own fields of TBS_Sign (time, dataHash, propertyInfo); the whole TBS_Sign
    // (most of it the seal, kilobytes) is made only for a signer that signs messages.
    const tails: Uint8Array[] = [];
    for (const r of requests) tails.push(tbsSignTail(time, r));
    const digest = this.#digest;
    let records: SignatureRecord[];
    if (digest) {
      const digests: Uint8Array[] = [];
      for (const t of tails) digests.push(tbsDigest(digest, tbsPrefix, t));
      records = await digest.signer.signDigests(digests);
    } else {
      const tbs: Uint8Array[] = [];
      for (const t of tails) tbs.push(joinTbsSign(tbsPrefix, t));
      records = await this.#signer.sign(tbs);
    }
    if (records.length !== tails.length) {
      throw new LicbridgeError(
        ErrorCodes.SIGNER_FAILED,
        `seal ${this.name}: expected ${tails.length} signatures, got ${records.length}`,
      );
    }
    const signatures: Uint8Array[] = [];
    for (let i = 0; i < tails.length; i++)
      signatures.push(
        encodeSesSignatureOf(
          tbsPrefix,
          tails[i] as Uint8Array,
          middle,
          (records[i] as SignatureRecord).signature,
        ),
      );
    return signatures;
  }

  /** Why the seal or its signer's certificate is not valid at `at`; empty when both are. */
  #outsideValidity(at: Date): string[] {
    const problems: string[] = [];
    const { info } = this.seal;
    const t = at.getTime();
    if (t < info.validFrom.getTime()) {
      problems.push(
        `the seal is not yet valid at ${at.toISOString()} (valid from ${info.validFrom.toISOString()})`,
      );
    } else if (t > info.validTo.getTime()) {
      problems.push(`the seal expired before ${at.toISOString()} (valid to ${info.validTo.toISOString()})`);
    }
    const notYetMade = notYetMadeProblem(this.seal, at);
    if (notYetMade) problems.push(notYetMade);
    const holder = this.#holder;
    if (holder?.notBefore && t < holder.notBefore.getTime()) {
      problems.push(
        `the certificate of signer ${this.#signer.name} (serial ${holder.serial}) is not yet valid`,
      );
    } else if (holder?.notAfter && t > holder.notAfter.getTime()) {
      problems.push(`the certificate of signer ${this.#signer.name} (serial ${holder.serial}) has expired`);
    }
    return problems;
  }

  /**
   * Closes the signer and forgets what open() read and checked: a later open() reads the seal file
   * and checks it all again, and opens the signer again. Kept, the seal would have made open()
   * return at once, leaving the signer closed, or signing on with a seal replaced since.
   */
  async close(): Promise<void> {
    this.#seal = undefined;
    this.#shared = undefined;
    this.#digest = undefined;
    this.#holder = undefined;
    await this.#signer.close();
  }
}
