/**
 * Verifying a stored license signature after the fact: re-compute the canonical form (RFC 8785
 * JCS of the stored license), its content hash and e = SM3(Z ‖ M), then check the SM2 signature,
 * that the key is the one the certificate certifies, and that the certificate was valid when the
 * signature was made. Returns every reason a signature fails, so a report can name them all, and
 * the key that verified it.
 *
 * Only keys the operator configured are trusted (the signers' keys and certificates, the trust
 * list). Keys the ledger registered are candidates too, but a signature that verifies only with
 * one of them fails: anyone who can write the ledger could have put that key there.
 */
import { canonicalBytes, storedContentHash } from '../../catalog/canonical.js';
import type { License } from '../../catalog/license.js';
import { type SealCertificate, sameKey, signingUseProblem, validityProblem } from './certificate.js';
import type { Sm2Point } from './local-sm2/curve.js';
import { DerError, decodeSm2Signature, type Sm2SignatureValue } from './local-sm2/der.js';
import { parseSm2PublicKeyPem } from './local-sm2/keys.js';
import { sm2DigestWithZ, sm2VerifyDigest, sm2Z } from './local-sm2/sm2.js';
import { SM2_SM3_OID } from './signer.js';

/** A key a signature may have been made with. */
export interface VerificationKey {
  sealId: string;
  publicKeyPem: string;
  certificate: SealCertificate | null;
  /** Where it came from, for reports: `signer <name>`, `trust <file>` or `ledger`. */
  origin: string;
  /** True for keys from the config; a ledger-only key never makes a signature valid. */
  trusted: boolean;
  /** First 16 hex digits of SM3 over the key's SPKI DER (`keyFingerprint`). */
  fingerprint: string;
}

/** The outcome for one signature: why it fails (empty when valid) and the trusted key that verified it. */
export interface SignatureCheck {
  reasons: string[];
  /** The trusted key the signature verifies with; null when none does. */
  key: VerificationKey | null;
}

/** The stored signature fields verification reads. */
export interface SignatureUnderTest {
  contentHash: string;
  algorithm: string;
  digest: string;
  signature: Uint8Array;
  distId: string;
  sealId: string;
  certificateSerial: string | null;
  certificateIssuer: string | null;
  signedAt: Date;
}

interface PreparedKey {
  point: Sm2Point;
  zByDistId: Map<string, Uint8Array>;
}

/**
 * Caches each key's point and its Z values. The point product goes through the process's shared
 * verification tables (local-sm2/verify-tables.ts): one seal verifies many signatures, so its key
 * gets a table there, kept across verifier instances.
 */
export class SignatureVerifier {
  readonly #prepared = new Map<string, PreparedKey>();
  /** `signingUseProblem` of each certificate met, by its PEM: one seal's certificate signs thousands. */
  readonly #uses = new Map<string, string | null>();

  #useProblem(cert: SealCertificate): string | null {
    let use = this.#uses.get(cert.pem);
    if (use === undefined) {
      use = signingUseProblem(cert);
      this.#uses.set(cert.pem, use);
    }
    return use;
  }

  #prepare(pem: string): PreparedKey {
    let p = this.#prepared.get(pem);
    if (!p) {
      p = { point: parseSm2PublicKeyPem(pem), zByDistId: new Map() };
      this.#prepared.set(pem, p);
    }
    return p;
  }

  #z(key: PreparedKey, distId: string): Uint8Array {
    let z = key.zByDistId.get(distId);
    if (!z) {
      z = sm2Z(key.point, distId);
      key.zByDistId.set(distId, z);
    }
    return z;
  }

  /** GB/T 32918.2 §7.1 with public scalars (variable time is fine here). */
  #verifyDigest(key: PreparedKey, e: Uint8Array, sig: Sm2SignatureValue): boolean {
    return sm2VerifyDigest(key.point, e, sig);
  }

  /** The first of `keys` whose signature over `message` checks; `overStoredDigest` when one matched only the stored digest. */
  #firstVerifying(
    keys: readonly VerificationKey[],
    sig: SignatureUnderTest,
    value: Sm2SignatureValue,
    message: Uint8Array,
  ): { key: VerificationKey | undefined; overStoredDigest: boolean } {
    const stored = Buffer.from(sig.digest, 'hex');
    let overStoredDigest = false;
    for (const k of keys) {
      const prepared = this.#prepare(k.publicKeyPem);
      const e = sm2DigestWithZ(this.#z(prepared, sig.distId), message);
      if (Buffer.from(e).equals(stored) && this.#verifyDigest(prepared, e, value)) {
        return { key: k, overStoredDigest };
      }
      if (!overStoredDigest && stored.length === 32 && this.#verifyDigest(prepared, stored, value))
        overStoredDigest = true;
    }
    return { key: undefined, overStoredDigest };
  }

  /**
   * Checks the signature over `license`. `versionContentHash` is the content hash the ledger holds
   * for the version; `keys` are the candidate keys, trusted (config) and untrusted (ledger).
   */
  check(
    license: License,
    versionContentHash: string,
    sig: SignatureUnderTest,
    keys: readonly VerificationKey[],
  ): SignatureCheck {
    const reasons: string[] = [];
    if (sig.algorithm !== SM2_SM3_OID)
      reasons.push(`algorithm ${sig.algorithm} is not sm2sign-with-sm3 (${SM2_SM3_OID})`);
    const hashed = storedContentHash(license);
    if ('cannot' in hashed) reasons.push(`the stored license cannot be hashed (${hashed.cannot})`);
    else if (hashed.hash !== versionContentHash) {
      reasons.push(
        'content hash mismatch: the stored license differs from the content hash recorded for the version',
      );
    }
    if (sig.contentHash !== versionContentHash) {
      reasons.push('the signature was recorded for another content hash than the version has');
    }
    let value: Sm2SignatureValue;
    try {
      value = decodeSm2Signature(sig.signature);
    } catch (e) {
      reasons.push(
        `signature is not DER SEQUENCE { r, s }: ${e instanceof DerError ? e.message : String(e)}`,
      );
      return { reasons, key: null };
    }
    // A key with a certificate matches a signature that recorded another serial only if it is
    // that certificate; a bare public key (trust list) is the operator's word for the key itself.
    const candidates = keys.filter(
      (k) =>
        k.sealId === sig.sealId &&
        (sig.certificateSerial === null ||
          k.certificate === null ||
          (k.certificate.serial === sig.certificateSerial &&
            (sig.certificateIssuer === null || k.certificate.issuer === sig.certificateIssuer))),
    );
    const trusted = candidates.filter((k) => k.trusted);
    // A stored text that reads but cannot be serialised (a number past the doubles, in its content
    // or its identifier, which the content hash leaves out) fails its check; thrown, it stopped
    // `verify --all` and `--license` at this version.
    let message: Uint8Array;
    try {
      message = canonicalBytes(license);
    } catch (e) {
      reasons.push(`the stored license cannot be serialised (${e instanceof Error ? e.name : 'error'})`);
      return { reasons, key: null };
    }
    const found = this.#firstVerifying(trusted, sig, value, message);
    const matched = found.key;
    if (!matched) {
      const serial =
        sig.certificateSerial === null ? '' : ` with certificate serial ${sig.certificateSerial}`;
      const untrusted = this.#firstVerifying(
        candidates.filter((k) => !k.trusted),
        sig,
        value,
        message,
      ).key;
      if (untrusted) {
        reasons.push(
          `untrusted key: the signature verifies only with key ${untrusted.fingerprint} (${untrusted.origin}), which the config does not trust; if it is a retired key of seal ${sig.sealId}, add its certificate or public key to \`trust\``,
        );
      } else if (trusted.length === 0) {
        reasons.push(`no trusted key for seal ${sig.sealId}${serial} (configured signers and \`trust\`)`);
      } else {
        reasons.push(
          found.overStoredDigest
            ? 'digest mismatch: the signature is valid for the recorded digest, but the canonical form of the stored license no longer gives that digest'
            : `signature does not verify with ${trusted.length === 1 ? 'the trusted key' : `any of the ${trusted.length} trusted keys`} of seal ${sig.sealId}${serial}`,
        );
      }
      return { reasons, key: null };
    }
    const cert = matched.certificate;
    if (cert) {
      if (!sameKey(cert.publicKeyPem, matched.publicKeyPem)) {
        reasons.push(`the signing key does not match certificate serial ${cert.serial}`);
      }
      const problem = validityProblem(cert, sig.signedAt);
      if (problem) reasons.push(`certificate serial ${cert.serial} was ${problem} (signing time)`);
      // A unit's encryption certificate (GB/T 20518) stands behind no signature, as `verify --file`
      // holds for a sealed file's signer.
      const use = this.#useProblem(cert);
      if (use) reasons.push(`certificate serial ${cert.serial} ${use}`);
    }
    return { reasons, key: matched };
  }
}
