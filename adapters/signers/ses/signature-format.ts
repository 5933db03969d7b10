/**
 * The electronic signature (签章) data format of GB/T 38540-2020, version 4:
 *
 * ```
 * SES_Signature ::= SEQUENCE { toSign TBS_Sign, cert OCTET STRING (signer's certificate),
 *     signatureAlgID OBJECT IDENTIFIER, signature BIT STRING, timeStamp [0] EXPLICIT BIT STRING OPTIONAL }
 * TBS_Sign ::= SEQUENCE { version INTEGER (4), eseal SESeal, timeInfo GeneralizedTime,
 *     dataHash BIT STRING, propertyInfo IA5String, extDatas [0] EXPLICIT ExtensionDatas OPTIONAL }
 * ```
 *
 * The signature covers the DER of `TBS_Sign` (SM2 with SM3, default distinguishing id). In an
 * OFD (GM/T 0099) `dataHash` is the plain SM3 of the `Signature.xml` file and `propertyInfo` its
 * path in the package — verified by hand on a vendor-signed OFD with OpenSSL.
 */

import { DerCursor, readWhole } from './der-reader.js';
import {
  bitString,
  concat,
  type Der,
  generalizedTime,
  ia5String,
  integer,
  octetString,
  oid,
  sequence,
} from './der-writer.js';
import { readExtensions, readSeal, SES_VERSION, type SealExtension, type SesSeal } from './seal-format.js';

export interface TbsSign {
  /** The `SESeal` DER embedded as is. */
  sealDer: Uint8Array;
  signedAt: Date;
  dataHash: Uint8Array;
  propertyInfo: string;
}

export interface SesSignature {
  version: number;
  seal: SesSeal;
  signedAt: Date;
  dataHash: Uint8Array;
  propertyInfo: string;
  /** TBS_Sign's extDatas, when it has any. */
  extensions: SealExtension[];
  /** DER of the signer's certificate. */
  signerCertificate: Uint8Array;
  signAlgorithm: string;
  /** DER `SEQUENCE { r, s }`. */
  signature: Uint8Array;
  hasTimeStamp: boolean;
  /** The timeStamp's content (an RFC 3161 TimeStampToken over `signature`), null when absent. */
  timeStamp: Uint8Array | null;
  /** The exact `TBS_Sign` bytes that were signed. */
  signedBytes: Uint8Array;
}

/** DER of `TBS_Sign`: the bytes the signer signs. */
export function encodeTbsSign(tbs: TbsSign): Der {
  return encodeTbsSignAfter(tbsSignPrefix(tbs.sealDer), tbs);
}

/**
 * The leading fields every `TBS_Sign` of one seal shares — its version and the whole `SESeal`,
 * most of its bytes — encoded once per seal and copied into each signature's.
 */
export function tbsSignPrefix(sealDer: Uint8Array): Der {
  return concat([integer(SES_VERSION), sealDer]);
}

/** `TBS_Sign` from its shared leading fields (`tbsSignPrefix` of the same seal) and the rest. */
export function encodeTbsSignAfter(prefix: Der, tbs: Omit<TbsSign, 'sealDer'>): Der {
  return encodeTbsSignAt(prefix, generalizedTime(tbs.signedAt), tbs);
}

/**
 * `encodeTbsSignAfter` with the signing time already encoded (`generalizedTime`): a batch of
 * signatures shares one.
 */
export function encodeTbsSignAt(
  prefix: Der,
  time: Der,
  tbs: Pick<TbsSign, 'dataHash' | 'propertyInfo'>,
): Der {
  return sequence(prefix, time, bitString(tbs.dataHash), ia5String(tbs.propertyInfo));
}

/** Tag and length octets of a DER element whose content is `length` bytes. */
function headOf(tag: number, length: number): Uint8Array {
  if (length < 0x80) return Uint8Array.of(tag, length);
  let count = 0;
  for (let l = length; l > 0; l = Math.floor(l / 256)) count++;
  const head = new Uint8Array(2 + count);
  head[0] = tag;
  head[1] = 0x80 | count;
  for (let i = count, l = length; i > 0; i--, l = Math.floor(l / 256)) head[1 + i] = l % 256;
  return head;
}

/**
 * The fields of `TBS_Sign` after its shared leading ones (`tbsSignPrefix`), in one buffer: the
 * signing time (encoded, `generalizedTime`), `dataHash` as a BIT STRING, `propertyInfo` as an
 * IA5String — what each signature hashes of its own (the signer hashes the head once per length).
 */
export function tbsSignTail(time: Der, tbs: Pick<TbsSign, 'dataHash' | 'propertyInfo'>): Der {
  const { dataHash, propertyInfo } = tbs;
  for (let i = 0; i < propertyInfo.length; i++) {
    if (propertyInfo.charCodeAt(i) > 0x7f) {
      throw new RangeError(`IA5String takes ASCII only, got ${JSON.stringify(propertyInfo)}`);
    }
  }
  const bitsHead = headOf(0x03, dataHash.length + 1);
  const ia5Head = headOf(0x16, propertyInfo.length);
  const out = Buffer.allocUnsafe(
    time.length + bitsHead.length + 1 + dataHash.length + ia5Head.length + propertyInfo.length,
  );
  let at = 0;
  out.set(time, at);
  at += time.length;
  out.set(bitsHead, at);
  at += bitsHead.length;
  out[at++] = 0; // no unused bits
  out.set(dataHash, at);
  at += dataHash.length;
  out.set(ia5Head, at);
  at += ia5Head.length;
  out.write(propertyInfo, at, 'latin1');
  return out;
}

/** The tag and length octets of a `TBS_Sign` of `prefix` and `tail` (`tbsSignTail`). */
export function tbsSignHead(prefix: Der, tail: Der): Uint8Array {
  return headOf(0x30, prefix.length + tail.length);
}

/** `TBS_Sign` from its shared leading fields and its own (`tbsSignTail`): `encodeTbsSignAt`'s bytes. */
export function joinTbsSign(prefix: Der, tail: Der): Der {
  const head = tbsSignHead(prefix, tail);
  const out = new Uint8Array(head.length + prefix.length + tail.length);
  out.set(head, 0);
  out.set(prefix, head.length);
  out.set(tail, head.length + prefix.length);
  return out;
}

/**
 * `SES_Signature` written straight into one buffer from `TBS_Sign`'s shared leading fields and
 * its own (`tbsSignTail`), the shared middle (`sesSignatureMiddle`) and the signature value:
 * `encodeSesSignatureAround(joinTbsSign(prefix, tail), middle, signature)`'s bytes, without the
 * `TBS_Sign` (most of it the seal, kilobytes) made and copied first for every signature.
 */
export function encodeSesSignatureOf(prefix: Der, tail: Der, middle: Der, signature: Uint8Array): Der {
  const tbsHead = tbsSignHead(prefix, tail);
  const bitsHead = headOf(0x03, signature.length + 1);
  const length =
    tbsHead.length + prefix.length + tail.length + middle.length + bitsHead.length + 1 + signature.length;
  const head = headOf(0x30, length);
  const out = new Uint8Array(head.length + length);
  let at = 0;
  for (const part of [head, tbsHead, prefix, tail, middle, bitsHead]) {
    out.set(part, at);
    at += part.length;
  }
  out[at++] = 0; // no unused bits
  out.set(signature, at);
  return out;
}

export function encodeSesSignature(
  tbsDer: Uint8Array,
  signerCertificate: Uint8Array,
  signAlgorithm: string,
  signature: Uint8Array,
): Der {
  return encodeSesSignatureAround(tbsDer, sesSignatureMiddle(signerCertificate, signAlgorithm), signature);
}

/** The fields between `toSign` and `signature` (certificate, algorithm): the same for every signature of a signer. */
export function sesSignatureMiddle(signerCertificate: Uint8Array, signAlgorithm: string): Der {
  return concat([octetString(signerCertificate), oid(signAlgorithm)]);
}

/** `SES_Signature` from its `TBS_Sign`, the shared middle (`sesSignatureMiddle`) and the signature value. */
export function encodeSesSignatureAround(tbsDer: Uint8Array, middle: Der, signature: Uint8Array): Der {
  return sequence(tbsDer, middle, bitString(signature));
}

/** Decodes `SES_Signature` (a `SignedValue.dat`). Throws naming the field that is wrong. */
export function decodeSesSignature(der: Uint8Array): SesSignature {
  const whole = readWhole(der, 'SES_Signature');
  const { cursor: c } = new DerCursor(whole.raw, '').sequence('SES_Signature');
  const { cursor: t, raw: signedBytes } = c.sequence('toSign');
  const version = t.smallInteger('version');
  if (version !== SES_VERSION) throw new Error(`SES_Signature.toSign.version is ${version}; expected 4`);
  const seal = readSeal(t, 'eseal');
  const signedAt = t.time('timeInfo');
  const dataHash = t.bits('dataHash');
  const propertyInfo = t.ia5('propertyInfo');
  let extensions: SealExtension[] = [];
  if (!t.done) {
    const wrapped = new DerCursor(t.next(0xa0, 'extDatas').value, 'toSign.extDatas');
    extensions = readExtensions(wrapped.sequence('list').cursor);
    wrapped.end();
  }
  t.end();
  const signerCertificate = c.octets('cert');
  const signAlgorithm = c.oid('signatureAlgID');
  const signature = c.bits('signature');
  const hasTimeStamp = !c.done;
  let timeStamp: Uint8Array | null = null;
  if (hasTimeStamp) {
    // Outside TBS_Sign, so under no signature: nothing may follow the BIT STRING inside its [0].
    const inside = new DerCursor(c.next(0xa0, 'timeStamp').value, 'timeStamp');
    timeStamp = inside.bits('timeStamp');
    inside.end();
  }
  c.end();
  return {
    version,
    seal,
    signedAt,
    dataHash,
    propertyInfo,
    extensions,
    signerCertificate,
    signAlgorithm,
    signature,
    hasTimeStamp,
    timeStamp,
    signedBytes,
  };
}
