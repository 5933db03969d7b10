/**
 * The `timeStamp` of an SES_Signature (GB/T 38540): an RFC 3161 TimeStampToken — a CMS SignedData
 * (RFC 5652) whose content is a TSTInfo — over the signature value. Checked here: the token's
 * message imprint is the hash of the signature value, the signed attributes' message digest is
 * the hash of the TSTInfo, the time-stamping authority's signature over the signed attributes
 * verifies with its certificate, that certificate is for time stamping (extended key usage) and
 * valid at the time stamped, and it is a trusted TSA certificate or issued by one the operator
 * trusts as a TSA root.
 */
import { createHash, verify as cryptoVerify, X509Certificate } from 'node:crypto';
import { parseCertificate } from '../../signers/certificate.js';
import { CLOCK_SKEW_MS, certificatePem, verifyWithCertificate } from '../../signers/ses/check-seal.js';
import { DerCursor, readWhole } from '../../signers/ses/der-reader.js';
import type { SesSignature } from '../../signers/ses/signature-format.js';
import type { TrustedMaterial } from './ofd-trust.js';
import type { OfdSignatureResult } from './ofd-verify.js';

/** SignedData: CMS (RFC 5652), and GM/T 0010's own OID for the same structure, which SM2 TSAs use. */
const SIGNED_DATA = new Set(['1.2.840.113549.1.7.2', '1.2.156.10197.6.1.4.2.2']);
const TST_INFO = '1.2.840.113549.1.9.16.1.4';
const MESSAGE_DIGEST = '1.2.840.113549.1.9.4';
const TIME_STAMPING = '1.3.6.1.5.5.7.3.8';

/** Digest algorithms by OID, as node:crypto names them. */
const DIGESTS: Record<string, string> = {
  '1.2.156.10197.1.401': 'sm3',
  '2.16.840.1.101.3.4.2.1': 'sha256',
  '2.16.840.1.101.3.4.2.2': 'sha384',
  '2.16.840.1.101.3.4.2.3': 'sha512',
};

/** Signature algorithms that name their digest; otherwise the SignerInfo's digest algorithm is used. */
const SIGNATURE_DIGESTS: Record<string, string> = {
  '1.2.840.10045.4.3.2': 'sha256',
  '1.2.840.10045.4.3.3': 'sha384',
  '1.2.840.10045.4.3.4': 'sha512',
  '1.2.840.113549.1.1.11': 'sha256',
  '1.2.840.113549.1.1.12': 'sha384',
  '1.2.840.113549.1.1.13': 'sha512',
};
/**
 * SM2 signatures (SM3 over Z with the default distinguishing id, GM/T 0009): SM2-with-SM3, and
 * SM2-1 (GM/T 0006), the name GM/T 0010 gives a SignerInfo's signature — with the SM2 key's OID,
 * which some signers write in its place.
 */
const SM2_SIGNATURES = new Set(['1.2.156.10197.1.501', '1.2.156.10197.1.301.1', '1.2.156.10197.1.301']);

export interface TimeStampCheck {
  /** The time the token states (TSTInfo genTime); null when it could not be read. */
  genTime: Date | null;
  /** Why the token is not sound (a wrong imprint, a signature that does not verify): it fails the signature. */
  problems: string[];
  /** Why a sound token is not trusted (its TSA chains to no trusted root); null when it is. */
  untrusted: string | null;
  /** The TSA certificate's subject, when read. */
  tsa: string | null;
}

interface Token {
  eContent: Uint8Array;
  certificates: Uint8Array[];
  digestAlgorithm: string;
  signedAttrs: Uint8Array;
  signatureAlgorithm: string;
  signature: Uint8Array;
  imprintAlgorithm: string;
  imprint: Uint8Array;
  genTime: Date;
}

function algorithm(c: DerCursor, field: string): string {
  const { cursor } = c.sequence(field);
  return cursor.oid(`${field}.algorithm`);
}

function decode(der: Uint8Array): Token {
  const whole = readWhole(der, 'TimeStampToken');
  const { cursor: ci } = new DerCursor(whole.raw, '').sequence('TimeStampToken');
  if (!SIGNED_DATA.has(ci.oid('contentType'))) throw new Error('not a CMS SignedData');
  const sd = new DerCursor(ci.next(0xa0, 'content').value, 'content').sequence('SignedData').cursor;
  sd.integer('version');
  sd.next(0x31, 'digestAlgorithms');
  const { cursor: eci } = sd.sequence('encapContentInfo');
  if (eci.oid('eContentType') !== TST_INFO) throw new Error('the content is not a TSTInfo');
  const eContent = new DerCursor(eci.next(0xa0, 'eContent').value, 'eContent').octets('eContent');
  const certificates: Uint8Array[] = [];
  if (sd.peekTag() === 0xa0) {
    const set = new DerCursor(sd.next(0xa0, 'certificates').value, 'certificates');
    while (!set.done) certificates.push(set.any('certificate').raw);
  }
  if (sd.peekTag() === 0xa1) sd.next(0xa1, 'crls');
  const infos = new DerCursor(sd.next(0x31, 'signerInfos').value, 'signerInfos');
  const { cursor: si } = infos.sequence('signerInfo');
  si.integer('version');
  si.any('sid');
  const digestAlgorithm = algorithm(si, 'digestAlgorithm');
  const attrs = si.next(0xa0, 'signedAttrs');
  const signatureAlgorithm = algorithm(si, 'signatureAlgorithm');
  const signature = si.octets('signature');
  const { cursor: tst } = new DerCursor(eContent, '').sequence('TSTInfo');
  tst.integer('version');
  tst.oid('policy');
  const { cursor: mi } = tst.sequence('messageImprint');
  const imprintAlgorithm = algorithm(mi, 'hashAlgorithm');
  const imprint = mi.octets('hashedMessage');
  tst.integer('serialNumber');
  const genTime = tst.time('genTime');
  // CMS: the signature covers the signed attributes DER-encoded as a SET OF, not as [0].
  const signedAttrs = Buffer.from(attrs.raw);
  signedAttrs[0] = 0x31;
  return {
    eContent,
    certificates,
    digestAlgorithm,
    signedAttrs,
    signatureAlgorithm,
    signature,
    imprintAlgorithm,
    imprint,
    genTime,
  };
}

function messageDigestAttribute(signedAttrs: Uint8Array): Uint8Array | null {
  const set = new DerCursor(readWhole(signedAttrs, 'signedAttrs').value, 'signedAttrs');
  while (!set.done) {
    const { cursor: a } = set.sequence('attribute');
    const type = a.oid('type');
    const values = new DerCursor(a.next(0x31, 'values').value, 'values');
    if (type === MESSAGE_DIGEST) return values.octets('messageDigest');
  }
  return null;
}

function digest(alg: string, data: Uint8Array): Buffer | null {
  const name = DIGESTS[alg];
  return name === undefined ? null : createHash(name).update(data).digest();
}

function signatureVerifies(t: Token, cert: X509Certificate): boolean {
  try {
    if (SM2_SIGNATURES.has(t.signatureAlgorithm))
      return verifyWithCertificate(
        parseCertificate('tsa', cert.toString(), 'timestamp'),
        t.signedAttrs,
        t.signature,
      );
    const hash = SIGNATURE_DIGESTS[t.signatureAlgorithm] ?? DIGESTS[t.digestAlgorithm];
    return hash !== undefined && cryptoVerify(hash, t.signedAttrs, cert.publicKey, t.signature);
  } catch {
    return false;
  }
}

/**
 * Whether `issuer` signed `cert`. An SM2-with-SM3 certificate is checked with the default
 * distinguishing id (GM/T 0009), as SM2 CAs sign: node:crypto's check uses none and refuses it.
 */
function signedBy(cert: X509Certificate, issuer: X509Certificate): boolean {
  try {
    const { cursor } = new DerCursor(cert.raw, '').sequence('certificate');
    const tbs = cursor.any('tbsCertificate').raw;
    if (SM2_SIGNATURES.has(algorithm(cursor, 'signatureAlgorithm')))
      return verifyWithCertificate(
        parseCertificate('tsa', issuer.toString(), 'trust'),
        tbs,
        cursor.bits('signatureValue'),
      );
    return cert.verify(issuer.publicKey);
  } catch {
    return false;
  }
}

/** Whether `cert` is one of `roots` or issued by one of them (one level, as TSA certificates are). */
function chains(cert: X509Certificate, roots: readonly X509Certificate[]): X509Certificate | undefined {
  return roots.find((r) => r.raw.equals(cert.raw) || (cert.checkIssued(r) && signedBy(cert, r)));
}

/**
 * Checks a TimeStampToken over `signatureValue` (the SES_Signature's signature octets) against the
 * certificates the operator trusts as TSA roots (PEM). Never throws: problems say why.
 */
export function checkTimeStamp(
  token: Uint8Array,
  signatureValue: Uint8Array,
  tsaRoots: readonly string[],
): TimeStampCheck {
  let t: Token;
  try {
    t = decode(token);
  } catch (e) {
    return {
      genTime: null,
      problems: [`the timestamp is not an RFC 3161 TimeStampToken: ${(e as Error).message}`],
      untrusted: null,
      tsa: null,
    };
  }
  const problems: string[] = [];
  const imprint = digest(t.imprintAlgorithm, signatureValue);
  if (imprint === null)
    problems.push(`the timestamp's hash algorithm ${t.imprintAlgorithm} is not one licbridge knows`);
  else if (!imprint.equals(Buffer.from(t.imprint)))
    problems.push('the timestamp is not over this signature value (message imprint mismatch)');
  const contentDigest = digest(t.digestAlgorithm, t.eContent);
  const stated = messageDigestAttribute(t.signedAttrs);
  if (contentDigest === null || stated === null || !contentDigest.equals(Buffer.from(stated)))
    problems.push("the timestamp's signed attributes do not digest its TSTInfo");
  const certs = t.certificates.flatMap((raw) => {
    try {
      return [new X509Certificate(certificatePem(raw))];
    } catch {
      return [];
    }
  });
  const signer = certs.find((c) => signatureVerifies(t, c));
  if (!signer) {
    problems.push("the timestamp's signature does not verify with a certificate it carries");
    return { genTime: t.genTime, problems, untrusted: null, tsa: null };
  }
  const tsa = signer.subject.split('\n').filter(Boolean).join(', ');
  if (!(signer.keyUsage ?? []).includes(TIME_STAMPING))
    problems.push(`the timestamp's certificate (${tsa}) is not for time stamping (extended key usage)`);
  const at = t.genTime.getTime();
  if (at < new Date(signer.validFrom).getTime() || at > new Date(signer.validTo).getTime())
    problems.push(`the timestamp's certificate (${tsa}) was not valid at ${t.genTime.toISOString()}`);
  const roots = tsaRoots.map((pem) => new X509Certificate(pem));
  const untrusted = chains(signer, roots)
    ? null
    : `its authority (${tsa}) is not a trusted TSA certificate nor issued by one (\`trust\` entry with \`role: tsa\`)`;
  return { genTime: t.genTime, problems, untrusted, tsa };
}

/**
 * The GB/T 38540 timeStamp (./timestamp-token.ts) judged into the result: an unsound token fails
 * the signature; a sound one whose authority is not trusted is said to be there and unchecked,
 * never passed over as if the file had none; a trusted one attests the time it states, which the
 * signing time must not lie after.
 */
export function timeStamped(
  result: OfdSignatureResult,
  ses: SesSignature,
  trust: readonly TrustedMaterial[],
): void {
  const roots = trust.flatMap((t) => (t.role === 'tsa' && t.certificate !== null ? [t.certificate.pem] : []));
  const check = checkTimeStamp(ses.timeStamp as Uint8Array, ses.signature, roots);
  result.timeStampedAt = check.genTime?.toISOString() ?? null;
  if (check.problems.length > 0) {
    result.timeStamp = 'invalid';
    result.problems.push(...check.problems);
    return;
  }
  const at = check.genTime as Date;
  if (check.untrusted !== null) {
    result.timeStamp = 'unverified';
    result.notes.push(
      `carries a timestamp of ${at.toISOString()}, present, not verified: ${check.untrusted}; the signing time ${ses.signedAt.toISOString()} is the signer's own statement`,
    );
    return;
  }
  result.timeStamp = 'verified';
  if (ses.signedAt.getTime() > at.getTime() + CLOCK_SKEW_MS)
    result.problems.push(
      `signed at ${ses.signedAt.toISOString()}, after its timestamp ${at.toISOString()} (${check.tsa}) says the signature existed`,
    );
}
