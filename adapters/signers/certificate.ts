/**
 * Seal certificates: reading an X.509 certificate (node:crypto parses SM2 certificates), checking
 * that it certifies the signing key, and that it is valid at a given moment. Used before the
 * first signature (signers) and after the fact (verification at signing time).
 */
import { createHash, X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { ErrorCodes, LicbridgeError } from '../../core/errors.js';
import { RecentMap } from '../../core/recent-map.js';
import { sm2SpkiDer, spkiPem } from './local-sm2/keys.js';
import { DerCursor } from './ses/der-reader.js';

/** What licbridge keeps of a seal certificate. */
export interface SealCertificate {
  readonly pem: string;
  /** Serial number, upper-case hex as OpenSSL prints it. */
  readonly serial: string;
  /** Issuer DN, one `attr=value` per RDN joined with `, `. */
  readonly issuer: string;
  readonly subject: string;
  readonly notBefore: Date;
  readonly notAfter: Date;
  /** SPKI PEM of the certified key. */
  readonly publicKeyPem: string;
}

function certError(signer: string, detail: string, cause?: unknown): LicbridgeError {
  return new LicbridgeError(ErrorCodes.SIGNER_KEY, `signer ${signer}: certificate: ${detail}`, {
    context: { signer },
    cause,
  });
}

function dn(text: string): string {
  return text.split('\n').filter(Boolean).join(', ');
}

/** Certificates remembered by `parseCertificate`. */
export const MAX_PARSED_CERTIFICATES = 256;
/**
 * Certificates already parsed, by SHA-256 of their DER: an OFD verification reads the same signer
 * and seal maker certificates from every file, and parsing one (X.509, its key, its PEM) costs
 * more than hashing it. Bounded, least recently used dropped first.
 */
const parsed = new RecentMap<string, SealCertificate>(MAX_PARSED_CERTIFICATES);

// Exactly one PEM block with a strict base64 body, so its DER is what X509Certificate reads.
const SINGLE_PEM =
  /^\s*-----BEGIN CERTIFICATE-----\r?\n([A-Za-z0-9+/\r\n]*={0,2})\r?\n-----END CERTIFICATE-----\s*$/;

function derDigest(pem: string): string | null {
  const body = SINGLE_PEM.exec(pem)?.[1]?.replace(/[\r\n]/g, '');
  // A body Buffer would read leniently (a stray last character) is left to X509Certificate.
  if (body === undefined || body.length % 4 !== 0) return null;
  return createHash('sha256').update(Buffer.from(body, 'base64')).digest('hex');
}

function copy(cert: SealCertificate): SealCertificate {
  // Fresh Dates: a caller that changes one must not change the cached certificate.
  return { ...cert, notBefore: new Date(cert.notBefore), notAfter: new Date(cert.notAfter) };
}

/** Parses a PEM certificate. Throws SIGNER_KEY naming the signer and where the PEM came from. */
export function parseCertificate(signer: string, pem: string, origin: string): SealCertificate {
  const digest = derDigest(pem);
  const known = digest === null ? undefined : parsed.get(digest);
  if (known) return copy(known);
  let cert: X509Certificate;
  try {
    cert = new X509Certificate(pem);
  } catch (e) {
    throw certError(signer, `${origin}: not a valid X.509 certificate`, e);
  }
  const result: SealCertificate = {
    pem: cert.toString(),
    serial: cert.serialNumber.toUpperCase(),
    issuer: dn(cert.issuer),
    subject: dn(cert.subject),
    notBefore: new Date(cert.validFrom),
    notAfter: new Date(cert.validTo),
    publicKeyPem: spkiPem(sm2SpkiDer(cert.publicKey)),
  };
  if (digest !== null) parsed.set(digest, copy(result));
  return result;
}

/** Reads and parses the certificate file of a signer's config. */
export function readCertificate(signer: string, path: string): SealCertificate {
  let pem: string;
  try {
    pem = readFileSync(path, 'utf8');
  } catch (e) {
    throw certError(signer, `cannot read ${path}: ${(e as NodeJS.ErrnoException).code ?? 'error'}`, e);
  }
  return parseCertificate(signer, pem, path);
}

/**
 * SubjectPublicKeyInfo DER of a PEM public key (the comparable form of a key): an SM2 point
 * uncompressed, whichever SEC1 form the PEM wrote it in (./local-sm2/keys.ts `sm2SpkiDer`).
 */
export function spkiDer(publicKeyPem: string): Buffer {
  return sm2SpkiDer(publicKeyPem);
}

/** True when both PEMs hold the same public key. */
export function sameKey(aPem: string, bPem: string): boolean {
  return spkiDer(aPem).equals(spkiDer(bPem));
}

/** Stable key id: hex SM3 of the SPKI DER (what the ledger keys seal keys by). */
export function keyId(publicKeyPem: string): string {
  return createHash('sm3').update(spkiDer(publicKeyPem)).digest('hex');
}

/**
 * The short name of a key in reports: the first 16 hex digits of its key id (SM3 of the SPKI
 * DER, point uncompressed), enough to tell keys apart and to find one with
 * `openssl ec -pubin -conv_form uncompressed -outform DER | openssl sm3`.
 */
export function keyFingerprint(publicKeyPem: string): string {
  return keyId(publicKeyPem).slice(0, 16);
}

/** Why a certificate is not valid at `at`, or null when it is. */
export function validityProblem(cert: SealCertificate, at: Date): string | null {
  if (at.getTime() < cert.notBefore.getTime()) {
    return `not yet valid at ${at.toISOString()} (valid from ${cert.notBefore.toISOString()})`;
  }
  if (at.getTime() > cert.notAfter.getTime()) {
    return `expired at ${at.toISOString()} (valid to ${cert.notAfter.toISOString()})`;
  }
  return null;
}

/**
 * The certificate certifies this key: the first of the checks before the first signature, and
 * what `status` asks of a signer's configured certificate. Throws SIGNER_KEY naming the signer,
 * the certificate's origin and its serial.
 */
export function checkCertifiesKey(
  signer: string,
  cert: SealCertificate,
  publicKeyPem: string,
  origin: string,
): void {
  if (!sameKey(cert.publicKeyPem, publicKeyPem)) {
    throw certError(signer, `${origin} (serial ${cert.serial}) does not certify the signing key`);
  }
}

/**
 * The checks before the first signature: the certificate certifies this key, and is valid now.
 * Throws SIGNER_KEY naming the signer, the certificate's origin and its serial.
 */
export function checkCertificate(
  signer: string,
  cert: SealCertificate,
  publicKeyPem: string,
  origin: string,
  now: Date,
): void {
  checkCertifiesKey(signer, cert, publicKeyPem, origin);
  const problem = validityProblem(cert, now);
  if (problem) throw certError(signer, `${origin} (serial ${cert.serial}) is ${problem}`);
}

/** DER of a PEM certificate (node:crypto parses it, so a broken PEM fails here). */
export function certificateDer(pem: string): Uint8Array {
  return new Uint8Array(new X509Certificate(pem).raw);
}

/** The keyUsage bits of RFC 5280 §4.2.1.3, in order from bit 0. */
const KEY_USAGES = [
  'digitalSignature',
  'nonRepudiation',
  'keyEncipherment',
  'dataEncipherment',
  'keyAgreement',
  'keyCertSign',
  'cRLSign',
  'encipherOnly',
  'decipherOnly',
];
const KEY_USAGE_OID = '2.5.29.15';

/** The usages a keyUsage extension names, or null when the certificate has none (any usage). */
function keyUsages(der: Uint8Array): string[] | null {
  const { cursor: tbs } = new DerCursor(der, '').sequence('Certificate').cursor.sequence('tbsCertificate');
  while (!tbs.done) {
    if (tbs.peekTag() !== 0xa3) {
      tbs.any('field');
      continue;
    }
    const { cursor: list } = new DerCursor(tbs.next(0xa3, 'extensions').value, 'extensions').sequence('list');
    while (!list.done) {
      const { cursor: ext } = list.sequence('extension');
      if (ext.oid('extnID') !== KEY_USAGE_OID) continue;
      if (ext.peekTag() === 0x01) ext.boolean('critical');
      const bits = new DerCursor(ext.octets('extnValue'), 'keyUsage').next(0x03, 'keyUsage').value;
      return KEY_USAGES.filter((_, i) => ((bits[1 + (i >> 3)] ?? 0) & (0x80 >> (i & 7))) !== 0);
    }
  }
  return null;
}

/**
 * Why the certificate's key may not make signatures, or null when it may: a keyUsage extension
 * naming neither digitalSignature nor nonRepudiation. GB/T 20518 gives an SM2 signing certificate
 * those, and the encryption certificate of a unit's pair keyEncipherment, dataEncipherment or
 * keyAgreement: its key pair is made and kept by the key management centre, so a signature under
 * it is not the holder's alone. No keyUsage extension allows every use (RFC 5280).
 */
export function signingUseProblem(cert: SealCertificate): string | null {
  let usages: string[] | null;
  try {
    usages = keyUsages(certificateDer(cert.pem));
  } catch (e) {
    return `has extensions that cannot be read (${(e as Error).message})`;
  }
  if (usages === null || usages.includes('digitalSignature') || usages.includes('nonRepudiation'))
    return null;
  return `may not sign: its key usage is ${usages.join(', ') || 'empty'}, without digitalSignature or nonRepudiation (GB/T 20518: a signing certificate's)`;
}
