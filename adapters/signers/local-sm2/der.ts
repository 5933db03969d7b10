/**
 * The few pieces of DER (X.690) SM2 needs: a strict TLV reader for PKCS#8 / SPKI key structures,
 * and the `SEQUENCE { r INTEGER, s INTEGER }` signature encoding of GB/T 35276 / GM/T 0009.
 * Decoding is strict on purpose: a verifier that accepts non-canonical encodings lets one
 * signature have many byte forms (malleability), which breaks "signed once, keyed by bytes".
 */

export const TAG_INTEGER = 0x02;
export const TAG_BIT_STRING = 0x03;
export const TAG_OCTET_STRING = 0x04;
export const TAG_NULL = 0x05;
export const TAG_OID = 0x06;
export const TAG_SEQUENCE = 0x30;

export class DerError extends Error {
  constructor(message: string) {
    super(`der: ${message}`);
    this.name = 'DerError';
  }
}

export interface Tlv {
  tag: number;
  /** Contents octets (a view into the input, not a copy). */
  value: Uint8Array;
  /** Offset just past this element. */
  end: number;
}

/**
 * Reads one element at `offset`. Only single-byte tags and definite lengths in their minimal
 * form are accepted — X.690 §10.1 requires the shortest length encoding in DER.
 */
export function readTlv(buf: Uint8Array, offset: number): Tlv {
  const tag = buf[offset];
  if (tag === undefined) throw new DerError('unexpected end of input');
  if ((tag & 0x1f) === 0x1f) throw new DerError('multi-byte tags are not supported');
  let pos = offset + 1;
  const first = buf[pos++];
  if (first === undefined) throw new DerError('missing length');
  let length = first;
  if (first & 0x80) {
    const count = first & 0x7f;
    if (count === 0) throw new DerError('indefinite length is not DER');
    if (count > 4) throw new DerError('length too large');
    length = 0;
    for (let i = 0; i < count; i++) {
      const byte = buf[pos++];
      if (byte === undefined) throw new DerError('truncated length');
      if (i === 0 && byte === 0) throw new DerError('non-minimal length');
      length = length * 256 + byte;
    }
    if (length < 0x80) throw new DerError('non-minimal length');
  }
  const end = pos + length;
  if (end > buf.length) throw new DerError('element runs past the end of input');
  return { tag, value: buf.subarray(pos, end), end };
}

/** Reads one element and checks its tag. */
export function expectTlv(buf: Uint8Array, offset: number, tag: number, what: string): Tlv {
  const tlv = readTlv(buf, offset);
  if (tlv.tag !== tag) {
    throw new DerError(`expected ${what} (tag 0x${tag.toString(16)}), got tag 0x${tlv.tag.toString(16)}`);
  }
  return tlv;
}

/** Decodes a DER INTEGER's contents as a non-negative bigint; rejects negative and padded forms. */
export function decodeUnsignedInteger(value: Uint8Array): bigint {
  const first = value[0];
  if (first === undefined) throw new DerError('empty INTEGER');
  if (first & 0x80) throw new DerError('negative INTEGER');
  const second = value[1];
  if (first === 0 && second !== undefined && (second & 0x80) === 0) {
    throw new DerError('INTEGER has a superfluous leading zero');
  }
  return BigInt(`0x${Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('hex')}`);
}

function encodeUnsignedInteger(value: bigint): Uint8Array {
  if (value < 0n) throw new RangeError('negative INTEGER');
  let hex = value.toString(16);
  if (hex.length % 2) hex = `0${hex}`;
  // A set top bit would read as negative: prefix 0x00 (X.690 §8.3.2 two's complement).
  if (Number.parseInt(hex.slice(0, 2), 16) & 0x80) hex = `00${hex}`;
  const body = Buffer.from(hex, 'hex');
  return Uint8Array.from([TAG_INTEGER, ...encodeLength(body.length), ...body]);
}

/** One DER element: `tag`, its minimal definite length, `body`. */
export function encodeTlv(tag: number, ...body: Uint8Array[]): Uint8Array {
  const value = Buffer.concat(body);
  return Uint8Array.from([tag, ...encodeLength(value.length), ...value]);
}

function encodeLength(length: number): number[] {
  if (length < 0x80) return [length];
  const bytes: number[] = [];
  for (let l = length; l > 0; l = Math.floor(l / 256)) bytes.unshift(l % 256);
  return [0x80 | bytes.length, ...bytes];
}

/** Decodes a DER OBJECT IDENTIFIER's contents to dotted form (`1.2.156.10197.1.301`). */
export function decodeOid(value: Uint8Array): string {
  if (value.length === 0) throw new DerError('empty OBJECT IDENTIFIER');
  const arcs: number[] = [];
  let acc = 0;
  for (let i = 0; i < value.length; i++) {
    const byte = value[i] as number;
    if (acc === 0 && byte === 0x80) throw new DerError('non-minimal OID arc');
    acc = acc * 128 + (byte & 0x7f);
    if (acc > Number.MAX_SAFE_INTEGER) throw new DerError('OID arc too large');
    if ((byte & 0x80) === 0) {
      arcs.push(acc);
      acc = 0;
    } else if (i === value.length - 1) {
      throw new DerError('truncated OID');
    }
  }
  const head = arcs[0] as number;
  const top = head < 40 ? 0 : head < 80 ? 1 : 2;
  return [top, head - top * 40, ...arcs.slice(1)].join('.');
}

/** An SM2 signature's two integers. */
export interface Sm2SignatureValue {
  r: bigint;
  s: bigint;
}

/** DER `SEQUENCE { r INTEGER, s INTEGER }` — the form OpenSSL and GM/T 0009 exchange. */
export function encodeSm2Signature(sig: Sm2SignatureValue): Uint8Array {
  const r = encodeUnsignedInteger(sig.r);
  const s = encodeUnsignedInteger(sig.s);
  return Uint8Array.from([TAG_SEQUENCE, ...encodeLength(r.length + s.length), ...r, ...s]);
}

/**
 * Strictly decodes a DER SM2 signature. Throws `DerError` on anything but exactly one
 * SEQUENCE of two minimal non-negative INTEGERs with no trailing bytes. Range checks
 * (1 ≤ r, s < n) belong to verification.
 */
export function decodeSm2Signature(der: Uint8Array): Sm2SignatureValue {
  const seq = expectTlv(der, 0, TAG_SEQUENCE, 'SEQUENCE');
  if (seq.end !== der.length) throw new DerError('trailing bytes after signature');
  const body = seq.value;
  const r = expectTlv(body, 0, TAG_INTEGER, 'INTEGER r');
  const s = expectTlv(body, r.end, TAG_INTEGER, 'INTEGER s');
  if (s.end !== body.length) throw new DerError('extra elements in signature SEQUENCE');
  return { r: decodeUnsignedInteger(r.value), s: decodeUnsignedInteger(s.value) };
}
