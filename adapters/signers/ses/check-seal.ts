/**
 * Checking an electronic seal (GB/T 38540 §7 verification order, the seal's part): the maker's
 * signature over `SES_SealInfo`, the maker's certificate, the seal's validity at a moment, and
 * whether a given certificate is one of the holders the seal lists.
 */
import { createHash } from 'node:crypto';
import {
  parseCertificate,
  type SealCertificate,
  signingUseProblem,
  validityProblem,
} from '../certificate.js';
import { parseSm2PublicKeyPem } from '../local-sm2/keys.js';
import { sm2Verify } from '../local-sm2/sm2.js';
import { DEFAULT_DIST_ID, SM2_SM3_OID } from '../signer.js';
import type { SesSeal } from './seal-format.js';

/**
 * How far two hosts' clocks may differ: a signing time may lie this far ahead of the verifier's
 * clock, or this far before the seal's createDate when the seal was made on another host (made
 * by `seal make` on one machine, used at once on another whose clock is a little behind).
 */
export const CLOCK_SKEW_MS = 10 * 60_000;

/**
 * Why the seal did not exist yet at `at`, or null: a moment more than CLOCK_SKEW_MS before its
 * createDate (a backdated signature); within it, the two clocks may simply differ.
 */
export function notYetMadeProblem(seal: SesSeal, at: Date): string | null {
  const made = seal.info.createdAt;
  return at.getTime() + CLOCK_SKEW_MS < made.getTime()
    ? `the seal did not exist yet at ${at.toISOString()} (made ${made.toISOString()})`
    : null;
}

/** PEM of a DER certificate. */
export function certificatePem(der: Uint8Array): string {
  const b64 = Buffer.from(der)
    .toString('base64')
    .replace(/(.{64})/g, '$1\n');
  return `-----BEGIN CERTIFICATE-----\n${b64.replace(/\n$/, '')}\n-----END CERTIFICATE-----\n`;
}

export { certificateDer } from '../certificate.js';

/** Parses an embedded DER certificate; null when it is not one. */
export function embeddedCertificate(der: Uint8Array, what: string): SealCertificate | null {
  try {
    return parseCertificate(what, certificatePem(der), what);
  } catch {
    return null;
  }
}

/** True when the seal's holder list names this certificate (itself, or its SM3 digest for list type 2). */
export function sealListsCertificate(seal: SesSeal, certDer: Uint8Array): boolean {
  const cert = Buffer.from(certDer);
  if (seal.info.holderCertificates.some((c) => cert.equals(Buffer.from(c)))) return true;
  const sm3 = createHash('sm3').update(cert).digest();
  return seal.info.holderCertificateDigests.some((d) => sm3.equals(Buffer.from(d.value)));
}

/** Checks an SM2-with-SM3 signature (default distinguishing id) with the key of a certificate. */
export function verifyWithCertificate(
  cert: SealCertificate,
  message: Uint8Array,
  signature: Uint8Array,
): boolean {
  try {
    return sm2Verify(parseSm2PublicKeyPem(cert.publicKeyPem), message, signature, DEFAULT_DIST_ID);
  } catch {
    return false;
  }
}

export interface SealCheck {
  /** Every reason the seal is not good at `at`; empty when it is. */
  problems: string[];
  maker: SealCertificate | null;
}

/**
 * The seal's own checks: maker's signature (over the exact `SES_SealInfo` bytes), maker's
 * certificate valid when the seal was made, and the seal made and valid at `at` (the signing time
 * for a signature, now for a seal about to sign).
 */
export function checkSeal(seal: SesSeal, at: Date): SealCheck {
  const problems: string[] = [];
  const { info } = seal;
  if (seal.signAlgorithm !== SM2_SM3_OID) {
    problems.push(`seal signed with algorithm ${seal.signAlgorithm}, not sm2sign-with-sm3 (${SM2_SM3_OID})`);
  }
  const maker = embeddedCertificate(seal.makerCertificate, 'seal maker');
  if (!maker) problems.push("the seal maker's certificate is not a readable X.509 certificate");
  else {
    if (!verifyWithCertificate(maker, seal.signedBytes, seal.signature)) {
      problems.push(`the seal maker's signature does not verify (maker certificate serial ${maker.serial})`);
    }
    const use = signingUseProblem(maker);
    if (use) problems.push(`the seal maker's certificate serial ${maker.serial} ${use}`);
    const makerProblem = validityProblem(maker, info.createdAt);
    if (makerProblem)
      problems.push(
        `the seal maker's certificate serial ${maker.serial} was ${makerProblem} when the seal was made`,
      );
  }
  // GB/T 38540 ExtData's `critical`, as in X.509: a verifier that does not understand the
  // extension may not accept the seal (a maker limiting its use says so there). licbridge
  // understands none.
  for (const ext of info.extensions)
    if (ext.critical)
      problems.push(
        `the seal holds critical extension ${ext.id}, which licbridge does not understand (a verifier that does not may not accept the seal)`,
      );
  if (info.validFrom.getTime() > info.validTo.getTime()) problems.push('the seal ends before it starts');
  // Validity is copied from the holder's certificate (art. 10), so it may start long before the
  // seal was made: a moment before its createDate is one at which the seal did not exist yet.
  const notYetMade = notYetMadeProblem(seal, at);
  if (notYetMade) problems.push(notYetMade);
  if (at.getTime() < info.validFrom.getTime()) {
    problems.push(
      `the seal is not yet valid at ${at.toISOString()} (valid from ${info.validFrom.toISOString()})`,
    );
  } else if (at.getTime() > info.validTo.getTime()) {
    problems.push(`the seal expired before ${at.toISOString()} (valid to ${info.validTo.toISOString()})`);
  }
  if (info.holderCertificates.length === 0 && info.holderCertificateDigests.length === 0) {
    problems.push('the seal lists no holder certificate');
  }
  return { problems, maker };
}
