/**
 * Loading SM2 keys from PEM. node:crypto parses the PEM and decrypts encrypted PKCS#8; licbridge
 * then reads d out of the PKCS#8 DER itself, because Node cannot hand it over any other way:
 * JWK export rejects the SM2 curve ("Unsupported JWK EC curve"), and on OpenSSL 3 a key *loaded*
 * from PEM becomes an SM2-type key whose `sec1` export aborts the whole process (a failed native
 * assertion, not an exception). Only `pkcs8` export is safe.
 */
import { createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { ErrorCodes, LicbridgeError } from '../../../core/errors.js';
import { RecentMap } from '../../../core/recent-map.js';
import { bytesToBigInt, SM2_CURVE, SM2_CURVE_OID, Sm2Point } from './curve.js';
import {
  decodeOid,
  decodeUnsignedInteger,
  encodeTlv,
  expectTlv,
  readTlv,
  TAG_BIT_STRING,
  TAG_INTEGER,
  TAG_OCTET_STRING,
  TAG_OID,
  TAG_SEQUENCE,
} from './der.js';
import { type Sm2PrivateKey, sm2PrivateKey } from './sm2.js';

const EC_PUBLIC_KEY_OID = '1.2.840.10045.2.1';
const PRIME_FIELD_OID = '1.2.840.10045.1.1';
/** AlgorithmIdentifier { id-ecPublicKey, namedCurve SM2 } (1.2.840.10045.2.1, 1.2.156.10197.1.301). */
const SM2_NAMED_ALGORITHM = encodeTlv(
  TAG_SEQUENCE,
  encodeTlv(TAG_OID, Uint8Array.of(0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01)),
  encodeTlv(TAG_OID, Uint8Array.of(0x2a, 0x81, 0x1c, 0xcf, 0x55, 0x01, 0x82, 0x2d)),
);

/** A loaded SM2 key: the prepared private key and its SPKI PEM. */
export interface LoadedSm2Key {
  readonly privateKey: Sm2PrivateKey;
  readonly publicKeyPem: string;
}

/**
 * Where a key was read from, for messages: the config setting and the file (`keyFile /etc/…`,
 * `key ${file:/etc/…}`), so the operator knows which file to replace.
 */
export interface KeyOrigin {
  readonly setting: string;
  readonly file: string;
}

function keyError(signer: string, detail: string, cause?: unknown, origin?: KeyOrigin): LicbridgeError {
  // The message names the signer, the file and what is wrong — never the key text or the passphrase.
  const from = origin === undefined ? '' : `${origin.setting}: `;
  return new LicbridgeError(ErrorCodes.SIGNER_KEY, `signer ${signer}: ${from}private key: ${detail}`, {
    context: { signer, ...(origin === undefined ? {} : { file: origin.file }) },
    cause,
  });
}

/** Curves a key on the wrong curve is usually on, by OID: named, where an OID alone says little. */
const CURVE_NAMES: Readonly<Record<string, string>> = {
  '1.2.840.10045.3.1.7': 'NIST P-256, prime256v1',
  '1.3.132.0.34': 'NIST P-384, secp384r1',
  '1.3.132.0.35': 'NIST P-521, secp521r1',
  '1.3.132.0.10': 'secp256k1',
  '1.3.36.3.3.2.8.1.1.7': 'brainpoolP256r1',
};

function curveName(curve: string): string {
  const name = CURVE_NAMES[curve];
  return name === undefined ? curve : `${curve} (${name})`;
}

/**
 * The curve an AlgorithmIdentifier names: SM2 keys come either as id-ecPublicKey with the SM2
 * namedCurve (OpenSSL, Node) or with the SM2 OID itself as the algorithm (some GM toolkits).
 */
function curveOf(algorithm: Uint8Array): string {
  const alg = expectTlv(algorithm, 0, TAG_OID, 'algorithm OID');
  const algOid = decodeOid(alg.value);
  if (algOid === SM2_CURVE_OID) return SM2_CURVE_OID;
  if (algOid !== EC_PUBLIC_KEY_OID) return `algorithm ${algOid}`;
  if (alg.end >= algorithm.length) return 'an EC key without a named curve';
  const params = readTlv(algorithm, alg.end);
  if (params.tag === TAG_OID) return decodeOid(params.value);
  return params.tag === TAG_SEQUENCE && sm2Parameters(params.value)
    ? SM2_CURVE_OID
    : 'an EC key with explicit curve parameters';
}

/** Whether an AlgorithmIdentifier's parameters are written out (a SEQUENCE), not named by an OID. */
function explicitParameters(algorithm: Uint8Array): boolean {
  const alg = readTlv(algorithm, 0);
  return alg.end < algorithm.length && readTlv(algorithm, alg.end).tag === TAG_SEQUENCE;
}

/**
 * Whether explicit ECParameters (RFC 3279: version, prime field, a, b, base point, order,
 * cofactor) are those of the SM2 curve. `openssl ec -param_enc explicit` and some GM toolkits
 * write an SM2 key's curve so, not by its OID: the same key, refused before as "explicit curve
 * parameters", and given another key id than the certificate issued for it.
 */
function sm2Parameters(value: Uint8Array): boolean {
  try {
    const version = expectTlv(value, 0, TAG_INTEGER, 'ECParameters version');
    const field = expectTlv(value, version.end, TAG_SEQUENCE, 'fieldID');
    const fieldType = expectTlv(field.value, 0, TAG_OID, 'fieldType');
    const prime = expectTlv(field.value, fieldType.end, TAG_INTEGER, 'prime');
    const curve = expectTlv(value, field.end, TAG_SEQUENCE, 'curve');
    const a = expectTlv(curve.value, 0, TAG_OCTET_STRING, 'a');
    const b = expectTlv(curve.value, a.end, TAG_OCTET_STRING, 'b');
    const base = expectTlv(value, curve.end, TAG_OCTET_STRING, 'base');
    const order = expectTlv(value, base.end, TAG_INTEGER, 'order');
    const cofactor =
      order.end < value.length ? expectTlv(value, order.end, TAG_INTEGER, 'cofactor') : undefined;
    return (
      decodeOid(fieldType.value) === PRIME_FIELD_OID &&
      decodeUnsignedInteger(prime.value) === SM2_CURVE.p &&
      bytesToBigInt(a.value) === SM2_CURVE.a &&
      bytesToBigInt(b.value) === SM2_CURVE.b &&
      decodeUnsignedInteger(order.value) === SM2_CURVE.n &&
      (cofactor === undefined || decodeUnsignedInteger(cofactor.value) === SM2_CURVE.h) &&
      Sm2Point.fromBytes(base.value).equals(Sm2Point.BASE)
    );
  } catch {
    // Not ECParameters, or a base point not on the SM2 curve: another curve's parameters.
    return false;
  }
}

/** PKCS#8 (RFC 5208) → { curve, d, embedded public point if any } — the minimal walk. */
function parsePkcs8(der: Uint8Array): { curve: string; d: bigint; publicPoint: Uint8Array | undefined } {
  const top = expectTlv(der, 0, TAG_SEQUENCE, 'PrivateKeyInfo');
  const version = expectTlv(top.value, 0, TAG_INTEGER, 'version');
  const algorithm = expectTlv(top.value, version.end, TAG_SEQUENCE, 'AlgorithmIdentifier');
  const curve = curveOf(algorithm.value);
  const inner = expectTlv(top.value, algorithm.end, TAG_OCTET_STRING, 'privateKey');
  if (curve !== SM2_CURVE_OID) return { curve, d: 0n, publicPoint: undefined };
  // ECPrivateKey (RFC 5915): SEQUENCE { version 1, privateKey OCTET STRING, [0] params?, [1] publicKey? }
  const ec = expectTlv(inner.value, 0, TAG_SEQUENCE, 'ECPrivateKey');
  const ecVersion = expectTlv(ec.value, 0, TAG_INTEGER, 'ECPrivateKey version');
  const dOctets = expectTlv(ec.value, ecVersion.end, TAG_OCTET_STRING, 'ECPrivateKey privateKey');
  let publicPoint: Uint8Array | undefined;
  for (let pos = dOctets.end; pos < ec.value.length; ) {
    const field = readTlv(ec.value, pos);
    if (field.tag === 0xa1) {
      const bits = expectTlv(field.value, 0, TAG_BIT_STRING, 'publicKey');
      publicPoint = bits.value.subarray(1); // skip the unused-bits octet
    }
    pos = field.end;
  }
  if (decodeUnsignedInteger(ecVersion.value) !== 1n) throw new Error('ECPrivateKey version is not 1');
  return { curve, d: bytesToBigInt(dOctets.value), publicPoint };
}

/**
 * The SubjectPublicKeyInfo DER of a public key (a public key's, a certificate's or a private key's
 * PEM, or a KeyObject), an SM2 point written uncompressed (04 ‖ x ‖ y). SEC1 lets one point be
 * written two ways, and OpenSSL keeps the form a key was read in: a key file whose point is
 * compressed (02/03 ‖ x, `openssl ec -conv_form compressed`, some GM toolkits) would otherwise give
 * other bytes, so another key id, than the certificate issued for it. Other keys come back as
 * OpenSSL writes them.
 */
export function sm2SpkiDer(key: KeyObject | string): Buffer {
  const publicKey = typeof key !== 'string' && key.type === 'public' ? key : createPublicKey(key);
  const spki = publicKey.export({ type: 'spki', format: 'der' });
  let top: ReturnType<typeof readTlv>;
  let algorithm: ReturnType<typeof readTlv>;
  let bits: ReturnType<typeof readTlv>;
  try {
    top = expectTlv(spki, 0, TAG_SEQUENCE, 'SubjectPublicKeyInfo');
    algorithm = expectTlv(top.value, 0, TAG_SEQUENCE, 'AlgorithmIdentifier');
    if (curveOf(algorithm.value) !== SM2_CURVE_OID) return spki;
    bits = expectTlv(top.value, algorithm.end, TAG_BIT_STRING, 'subjectPublicKey');
  } catch {
    return spki;
  }
  const form = bits.value[1];
  const explicit = explicitParameters(algorithm.value);
  if (form !== 0x02 && form !== 0x03 && !explicit) return spki;
  // The curve by its OID, as certificates carry it, when the key wrote its parameters (sm2Parameters).
  const algorithmDer = explicit ? SM2_NAMED_ALGORITHM : top.value.subarray(0, algorithm.end);
  const point = Sm2Point.fromBytes(bits.value.subarray(1)).toBytes(false);
  return Buffer.from(
    encodeTlv(TAG_SEQUENCE, algorithmDer, encodeTlv(TAG_BIT_STRING, Uint8Array.of(0), point)),
  );
}

/** PEM of an SPKI DER (`-----BEGIN PUBLIC KEY-----`, 64 columns, as OpenSSL writes it). */
export function spkiPem(der: Uint8Array): string {
  const lines =
    Buffer.from(der)
      .toString('base64')
      .match(/.{1,64}/g) ?? [];
  return `-----BEGIN PUBLIC KEY-----\n${lines.join('\n')}\n-----END PUBLIC KEY-----\n`;
}

function importPrivateKey(
  signer: string,
  pem: string,
  passphrase: string | undefined,
  origin: KeyOrigin | undefined,
): KeyObject {
  const encrypted = /-----BEGIN ENCRYPTED PRIVATE KEY-----|Proc-Type:\s*4,ENCRYPTED/.test(pem);
  if (encrypted && (passphrase === undefined || passphrase === '')) {
    throw keyError(signer, 'the key is encrypted but no passphrase is configured', undefined, origin);
  }
  try {
    return createPrivateKey(passphrase === undefined ? { key: pem } : { key: pem, passphrase });
  } catch (e) {
    const code = (e as { code?: unknown }).code;
    // About one wrong passphrase in 128 decrypts to bytes that pass the padding check; OpenSSL 3's
    // key decoder then calls them unsupported rather than "bad decrypt".
    const refused =
      code === 'ERR_OSSL_BAD_DECRYPT' ||
      code === 'ERR_OSSL_EVP_BAD_DECRYPT' ||
      (code === 'ERR_OSSL_UNSUPPORTED' &&
        /DECODER routines::unsupported/i.test(String((e as Error).message)));
    if (encrypted && refused) {
      throw keyError(signer, 'cannot decrypt: wrong passphrase', e, origin);
    }
    if (encrypted) throw keyError(signer, 'cannot decrypt: wrong passphrase or corrupt key', e, origin);
    throw keyError(signer, 'cannot read: not a valid PEM private key (corrupt or wrong format)', e, origin);
  }
}

/**
 * Loads an SM2 private key from PEM (PKCS#8, plain or encrypted; a SEC1 `EC PRIVATE KEY` also
 * loads). Throws `LicbridgeError` SIGNER_KEY for a corrupt PEM, a missing or wrong passphrase,
 * a key on another curve, or a key whose embedded public point does not match d.
 */
export function loadSm2PrivateKey(
  signer: string,
  pem: string,
  passphrase?: string,
  origin?: KeyOrigin,
): LoadedSm2Key {
  const key = importPrivateKey(signer, pem, passphrase, origin);
  if (key.type !== 'private') throw keyError(signer, 'expected a private key', undefined, origin);
  let parsed: ReturnType<typeof parsePkcs8>;
  try {
    parsed = parsePkcs8(key.export({ type: 'pkcs8', format: 'der' }));
  } catch (e) {
    throw keyError(signer, 'cannot parse the PKCS#8 structure', e, origin);
  }
  if (parsed.curve !== SM2_CURVE_OID) {
    throw keyError(
      signer,
      `not an SM2 key: expected curve ${SM2_CURVE_OID}, got ${curveName(parsed.curve)}`,
      undefined,
      origin,
    );
  }
  if (parsed.d < 1n || parsed.d > SM2_CURVE.n - 2n)
    throw keyError(signer, 'private scalar out of range', undefined, origin);
  const privateKey = sm2PrivateKey(parsed.d);
  if (parsed.publicPoint) {
    // A stored public point that disagrees with d means a damaged or tampered key file.
    let embedded: InstanceType<typeof Sm2Point> | undefined;
    try {
      embedded = Sm2Point.fromBytes(parsed.publicPoint);
    } catch {
      embedded = undefined;
    }
    if (!embedded?.equals(privateKey.publicKey)) {
      throw keyError(signer, 'the embedded public key does not match the private key', undefined, origin);
    }
  }
  // The point uncompressed, as certificates carry it, whichever form the key file stored.
  const publicKeyPem = spkiPem(sm2SpkiDer(key));
  return { privateKey, publicKeyPem };
}

/** Reads an SPKI PEM public key and returns its SM2 point. Throws for other key types. */
export function parseSm2PublicKeyPem(pem: string): InstanceType<typeof Sm2Point> {
  // Points are immutable (noble freezes them), so one can be handed to every caller.
  // peek: a key read again keeps its place (first read, first dropped).
  const known = parsedPublicKeys.peek(pem);
  if (known) return known;
  const point = readSm2PublicKeyPem(pem);
  parsedPublicKeys.set(pem, point);
  return point;
}

const MAX_PARSED_PUBLIC_KEYS = 64;
/**
 * Public keys already read, by their PEM: a verifier reads the same certificate's key for every
 * signature (≈0.5 ms each through OpenSSL and the on-curve check). First read first dropped.
 */
const parsedPublicKeys = new RecentMap<string, InstanceType<typeof Sm2Point>>(MAX_PARSED_PUBLIC_KEYS);

function readSm2PublicKeyPem(pem: string): InstanceType<typeof Sm2Point> {
  const spki = createPublicKey(pem).export({ type: 'spki', format: 'der' });
  const top = expectTlv(spki, 0, TAG_SEQUENCE, 'SubjectPublicKeyInfo');
  const algorithm = expectTlv(top.value, 0, TAG_SEQUENCE, 'AlgorithmIdentifier');
  const curve = curveOf(algorithm.value);
  if (curve !== SM2_CURVE_OID) throw new RangeError(`sm2: not an SM2 public key (${curve})`);
  const bits = expectTlv(top.value, algorithm.end, TAG_BIT_STRING, 'subjectPublicKey');
  return Sm2Point.fromBytes(bits.value.subarray(1));
}

export interface GenerateSm2KeyPairOptions {
  /** Encrypts the private key PEM (PKCS#8, AES-256-CBC) with this passphrase. @defaultValue unencrypted */
  passphrase?: string;
}

/** A fresh SM2 key pair as PEM: PKCS#8 private key and SPKI public key. */
export function generateSm2KeyPair(options: GenerateSm2KeyPairOptions = {}): {
  privateKeyPem: string;
  publicKeyPem: string;
} {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'SM2' });
  const privateKeyPem =
    options.passphrase === undefined
      ? privateKey.export({ type: 'pkcs8', format: 'pem' })
      : privateKey.export({
          type: 'pkcs8',
          format: 'pem',
          cipher: 'aes-256-cbc',
          passphrase: options.passphrase,
        });
  return {
    privateKeyPem: privateKeyPem.toString(),
    publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
  };
}
