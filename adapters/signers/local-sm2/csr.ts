/**
 * A PKCS#10 certificate request (RFC 2986) for a seal key, signed with SM2/SM3 (GB/T 35275,
 * signature algorithm 1.2.156.10197.1.501, no parameters) under the default distinguishing id
 * `1234567812345678` (GM/T 0009) — what a CA of the national commercial-crypto PKI expects and
 * what `openssl req -verify` (OpenSSL 3) checks. The private key never leaves this process; the
 * request holds the public key, the subject and the signature only.
 */
import { createHash } from 'node:crypto';
import { spkiDer } from '../certificate.js';
import { DEFAULT_DIST_ID } from '../signer.js';
import { type KeyOrigin, loadSm2PrivateKey } from './keys.js';
import { sm2Sign } from './sm2.js';

const OID_SM2_WITH_SM3 = '1.2.156.10197.1.501';

/** The subject of a seal certificate: the issuing unit as registered. */
export interface SealSubject {
  /** Country. @defaultValue `CN` */
  country?: string;
  /** The unit's registered name (organizationName and commonName). */
  organization: string;
  /** Common name. @defaultValue the organization */
  commonName?: string;
  /** The unit's unified social credit code (serialNumber, 2.5.4.5). */
  creditCode?: string;
  /** The seal's id (organizationalUnitName). */
  sealId?: string;
}

const ATTRIBUTE_OIDS = {
  country: '2.5.4.6',
  organization: '2.5.4.10',
  sealId: '2.5.4.11',
  commonName: '2.5.4.3',
  creditCode: '2.5.4.5',
} as const;

function length(n: number): number[] {
  if (n < 0x80) return [n];
  const bytes: number[] = [];
  for (let l = n; l > 0; l = Math.floor(l / 256)) bytes.unshift(l % 256);
  return [0x80 | bytes.length, ...bytes];
}

function tlv(tag: number, ...parts: Uint8Array[]): Uint8Array {
  const body = Buffer.concat(parts);
  return Uint8Array.from([tag, ...length(body.length), ...body]);
}

function oid(dotted: string): Uint8Array {
  const arcs = dotted.split('.').map(Number);
  const out: number[] = [40 * (arcs[0] ?? 0) + (arcs[1] ?? 0)];
  for (const arc of arcs.slice(2)) {
    const groups: number[] = [];
    for (let v = arc; ; v = Math.floor(v / 128)) {
      groups.unshift(v % 128);
      if (v < 128) break;
    }
    out.push(...groups.map((g, i) => (i < groups.length - 1 ? g | 0x80 : g)));
  }
  return tlv(0x06, Uint8Array.from(out));
}

/** PrintableString where the text allows it (country, credit code), UTF8String otherwise (Chinese names). */
function directoryString(text: string): Uint8Array {
  const printable = /^[A-Za-z0-9 '()+,\-./:=?]*$/.test(text);
  return tlv(printable ? 0x13 : 0x0c, Buffer.from(text, 'utf8'));
}

function subjectName(s: SealSubject): Uint8Array {
  const attrs: [keyof typeof ATTRIBUTE_OIDS, string | undefined][] = [
    ['country', s.country ?? 'CN'],
    ['organization', s.organization],
    ['sealId', s.sealId],
    ['commonName', s.commonName ?? s.organization],
    ['creditCode', s.creditCode],
  ];
  const rdns = attrs
    .filter((a): a is [keyof typeof ATTRIBUTE_OIDS, string] => a[1] !== undefined && a[1] !== '')
    .map(([k, v]) => tlv(0x31, tlv(0x30, oid(ATTRIBUTE_OIDS[k]), directoryString(v))));
  return tlv(0x30, ...rdns);
}

export interface Sm2CsrOptions {
  privateKeyPem: string;
  passphrase?: string;
  subject: SealSubject;
  /** The signer's name, for messages. */
  signer: string;
  /** The file the key was read from, for messages. @defaultValue none (a key written into the config) */
  origin?: KeyOrigin;
}

export interface Sm2Csr {
  pem: string;
  /** SHA-256 of the request's public key (SPKI DER), hex: to compare with the certificate returned. */
  publicKeySha256: string;
  publicKeyPem: string;
}

export function buildSm2Csr(options: Sm2CsrOptions): Sm2Csr {
  const key = loadSm2PrivateKey(options.signer, options.privateKeyPem, options.passphrase, options.origin);
  const spki = spkiDer(key.publicKeyPem);
  const info = tlv(
    0x30,
    tlv(0x02, Uint8Array.of(0)),
    subjectName(options.subject),
    spki,
    // attributes [0] IMPLICIT SET: none.
    Uint8Array.of(0xa0, 0x00),
  );
  const signature = sm2Sign(key.privateKey, info, DEFAULT_DIST_ID);
  const der = tlv(0x30, info, tlv(0x30, oid(OID_SM2_WITH_SM3)), tlv(0x03, Uint8Array.of(0), signature));
  const b64 = Buffer.from(der)
    .toString('base64')
    .replace(/(.{64})/g, '$1\n');
  return {
    pem: `-----BEGIN CERTIFICATE REQUEST-----\n${b64.replace(/\n$/, '')}\n-----END CERTIFICATE REQUEST-----\n`,
    publicKeySha256: createHash('sha256').update(spki).digest('hex'),
    publicKeyPem: key.publicKeyPem,
  };
}
