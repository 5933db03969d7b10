/**
 * The electronic seal data format of GB/T 38540-2020 (version 4), encoded and decoded:
 *
 * ```
 * SESeal ::= SEQUENCE { eSealInfo SES_SealInfo, cert OCTET STRING (seal maker's certificate),
 *                       signAlgID OBJECT IDENTIFIER, signedValue BIT STRING }
 * SES_SealInfo ::= SEQUENCE { header SES_Header, esID IA5String, property SES_ESPropertyInfo,
 *                             picture SES_ESPictrueInfo, extDatas ExtensionDatas OPTIONAL }
 * SES_Header ::= SEQUENCE { ID IA5String ("ES"), version INTEGER (4), Vid IA5String }
 * SES_ESPropertyInfo ::= SEQUENCE { type INTEGER, name UTF8String, certListType INTEGER,
 *     certList SES_CertList, createDate, validStart, validEnd GeneralizedTime }
 * SES_CertList ::= CHOICE { certs SEQUENCE OF OCTET STRING,                     -- certListType 1
 *                           certDigestList SEQUENCE OF SEQUENCE { type PrintableString,
 *                                                                 value OCTET STRING } } -- 2
 * SES_ESPictrueInfo ::= SEQUENCE { type IA5String, data OCTET STRING, width INTEGER, height INTEGER }
 * ```
 *
 * The maker's signature covers the DER of `SES_SealInfo` alone (SM2 with SM3, default
 * distinguishing id) — what ofdrw, zc310/ofd and production seals (checked by hand with OpenSSL on
 * a tax-bureau seal) all sign. Decoding keeps that element's exact bytes for verification.
 */

import { DerCursor, readWhole } from './der-reader.js';
import {
  bitString,
  type Der,
  generalizedTime,
  ia5String,
  integer,
  octetString,
  oid,
  printableString,
  sequence,
  utf8String,
} from './der-writer.js';

export const SES_HEADER_ID = 'ES';
export const SES_VERSION = 4;

export interface SealCertDigest {
  /** Free-form digest type, e.g. `sm3`. */
  type: string;
  value: Uint8Array;
}

export interface SealExtension {
  id: string;
  critical: boolean;
  value: Uint8Array;
}

export interface SealInfo {
  vendorId: string;
  esId: string;
  /** Seal type code (GB/T 38540: e.g. 1 official seal, 2 special-purpose seal …). */
  type: number;
  name: string;
  /** certListType 1: the DER certificates of the holders who may sign with this seal. */
  holderCertificates: Uint8Array[];
  /** certListType 2: digests of those certificates instead. */
  holderCertificateDigests: SealCertDigest[];
  createdAt: Date;
  validFrom: Date;
  validTo: Date;
  picture: { type: string; data: Uint8Array; widthMm: number; heightMm: number };
  extensions: SealExtension[];
}

export interface SesSeal {
  info: SealInfo;
  /** DER of the seal maker's certificate. */
  makerCertificate: Uint8Array;
  signAlgorithm: string;
  /** The maker's signature: DER `SEQUENCE { r, s }`. */
  signature: Uint8Array;
  /** The exact `SES_SealInfo` bytes the maker signed. */
  signedBytes: Uint8Array;
  /** The whole `SESeal` as read or written. */
  der: Uint8Array;
}

/** DER of `SES_SealInfo`: the bytes the seal maker signs. */
export function encodeSealInfo(info: SealInfo): Der {
  const certList =
    info.holderCertificateDigests.length > 0
      ? sequence(
          ...info.holderCertificateDigests.map((d) =>
            sequence(printableString(d.type), octetString(d.value)),
          ),
        )
      : sequence(...info.holderCertificates.map((c) => octetString(c)));
  return sequence(
    sequence(ia5String(SES_HEADER_ID), integer(SES_VERSION), ia5String(info.vendorId)),
    ia5String(info.esId),
    sequence(
      integer(info.type),
      utf8String(info.name),
      integer(info.holderCertificateDigests.length > 0 ? 2 : 1),
      certList,
      generalizedTime(info.createdAt),
      generalizedTime(info.validFrom),
      generalizedTime(info.validTo),
    ),
    sequence(
      ia5String(info.picture.type),
      octetString(info.picture.data),
      integer(info.picture.widthMm),
      integer(info.picture.heightMm),
    ),
  );
}

/** DER of `SESeal` from the signed `SES_SealInfo` bytes, the maker's certificate and signature. */
export function encodeSeal(
  signedBytes: Uint8Array,
  makerCertificate: Uint8Array,
  signAlgorithm: string,
  signature: Uint8Array,
): Der {
  return sequence(signedBytes, octetString(makerCertificate), oid(signAlgorithm), bitString(signature));
}

/** Reads a GB/T 38540 `ExtensionDatas` (SEQUENCE OF ExtData) from a cursor over its elements. */
export function readExtensions(c: DerCursor): SealExtension[] {
  const out: SealExtension[] = [];
  while (!c.done) {
    const { cursor: e } = c.sequence(`extDatas[${out.length}]`);
    const id = e.oid('extnID');
    const critical = e.peekTag() === 0x01 ? e.boolean('critical') : false;
    out.push({ id, critical, value: e.octets('extnValue') });
    e.end();
  }
  return out;
}

/** Reads `SES_SealInfo` from a cursor positioned on it. */
export function readSealInfo(parent: DerCursor, field: string): { info: SealInfo; raw: Uint8Array } {
  const { cursor: c, raw } = parent.sequence(field);
  const { cursor: h } = c.sequence('header');
  const id = h.ia5('ID');
  const version = h.smallInteger('version');
  const vendorId = h.ia5('Vid');
  h.end();
  if (id !== SES_HEADER_ID) throw new Error(`${field}.header.ID is ${JSON.stringify(id)}, not "ES"`);
  if (version !== SES_VERSION)
    throw new Error(`${field}.header.version is ${version}; GB/T 38540 seals are version 4`);
  const esId = c.ia5('esID');
  const { cursor: p } = c.sequence('property');
  const type = p.smallInteger('type');
  const name = p.utf8('name');
  const certListType = p.smallInteger('certListType');
  const { cursor: l } = p.sequence('certList');
  const holderCertificates: Uint8Array[] = [];
  const holderCertificateDigests: SealCertDigest[] = [];
  while (!l.done) {
    if (certListType === 1) holderCertificates.push(l.octets(`certs[${holderCertificates.length}]`));
    else if (certListType === 2) {
      const { cursor: d } = l.sequence(`certDigestList[${holderCertificateDigests.length}]`);
      holderCertificateDigests.push({ type: d.printable('type'), value: d.octets('value') });
      d.end();
    } else throw new Error(`${field}.property.certListType is ${certListType}; expected 1 or 2`);
  }
  const createdAt = p.time('createDate');
  const validFrom = p.time('validStart');
  const validTo = p.time('validEnd');
  p.end();
  const { cursor: pic } = c.sequence('picture');
  const picture = {
    type: pic.ia5('type'),
    data: pic.octets('data'),
    widthMm: pic.smallInteger('width'),
    heightMm: pic.smallInteger('height'),
  };
  pic.end();
  // extDatas: a SEQUENCE, or (some producers) wrapped in [0].
  let extensions: SealExtension[] = [];
  if (!c.done) {
    const tag = c.peekTag();
    if (tag === 0x30) extensions = readExtensions(c.sequence('extDatas').cursor);
    else if (tag === 0xa0) {
      const wrapped = new DerCursor(c.next(0xa0, 'extDatas').value, `${field}.extDatas`);
      extensions = readExtensions(wrapped.sequence('list').cursor);
    }
  }
  c.end();
  return {
    info: {
      vendorId,
      esId,
      type,
      name,
      holderCertificates,
      holderCertificateDigests,
      createdAt,
      validFrom,
      validTo,
      picture,
      extensions,
    },
    raw,
  };
}

/** Reads an `SESeal` from a cursor positioned on it. */
export function readSeal(parent: DerCursor, field: string): SesSeal {
  const { cursor: c, raw } = parent.sequence(field);
  const { info, raw: signedBytes } = readSealInfo(c, 'eSealInfo');
  const makerCertificate = c.octets('cert');
  const signAlgorithm = c.oid('signAlgID');
  const signature = c.bits('signedValue');
  c.end();
  return { info, makerCertificate, signAlgorithm, signature, signedBytes, der: raw };
}

/** Decodes a whole `SESeal` DER (a `.esl` file). Throws `DerError`/`Error` naming the field. */
export function decodeSeal(der: Uint8Array): SesSeal {
  const whole = readWhole(der, 'SESeal');
  return readSeal(new DerCursor(whole.raw, ''), 'SESeal');
}
