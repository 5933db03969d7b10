/**
 * A small DER (X.690) writer for the seal and signature containers of GB/T 38540. Every value is
 * encoded in its one canonical form — minimal lengths, minimal integers, GeneralizedTime in UTC
 * without fractions — because the seal maker and the signer sign these exact bytes and a verifier
 * re-reads them: one structure, one byte string.
 */

/** A DER element, already encoded. */
export type Der = Uint8Array;

function lengthOctets(length: number): number[] {
  if (length < 0x80) return [length];
  const bytes: number[] = [];
  for (let l = length; l > 0; l = Math.floor(l / 256)) bytes.unshift(l % 256);
  return [0x80 | bytes.length, ...bytes];
}

/** One TLV with a single-octet tag. */
export function tlv(tag: number, content: Uint8Array): Der {
  const head = [tag, ...lengthOctets(content.length)];
  const out = new Uint8Array(head.length + content.length);
  out.set(head, 0);
  out.set(content, head.length);
  return out;
}

/** Encoded elements one after another (the content of a SEQUENCE, or a run of it made once). */
export function concat(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** SEQUENCE of already-encoded items, written straight into one buffer (a signature's is kilobytes). */
export function sequence(...items: Der[]): Der {
  let length = 0;
  for (const item of items) length += item.length;
  const head = [0x30, ...lengthOctets(length)];
  const out = new Uint8Array(head.length + length);
  out.set(head, 0);
  let at = head.length;
  for (const item of items) {
    out.set(item, at);
    at += item.length;
  }
  return out;
}

/** INTEGER, non-negative, in the fewest octets (X.690 §8.3.2: a leading 0x00 only before a set top bit). */
export function integer(value: number | bigint): Der {
  const v = BigInt(value);
  if (v < 0n) throw new RangeError('INTEGER: negative values do not occur in these structures');
  let hex = v.toString(16);
  if (hex.length % 2) hex = `0${hex}`;
  if (Number.parseInt(hex.slice(0, 2), 16) & 0x80) hex = `00${hex}`;
  return tlv(0x02, Buffer.from(hex, 'hex'));
}

export function octetString(value: Uint8Array): Der {
  return tlv(0x04, value);
}

/** BIT STRING of whole octets: the unused-bits octet is 0. */
export function bitString(value: Uint8Array): Der {
  return tlv(0x03, concat([Uint8Array.of(0), value]));
}

/** IA5String: ASCII only; GB/T 38540 uses it for ids, picture type and the property info. */
export function ia5String(value: string): Der {
  if ([...value].some((ch) => (ch.codePointAt(0) as number) > 0x7f)) {
    throw new RangeError(`IA5String takes ASCII only, got ${JSON.stringify(value)}`);
  }
  return tlv(0x16, Buffer.from(value, 'latin1'));
}

export function utf8String(value: string): Der {
  return tlv(0x0c, Buffer.from(value, 'utf8'));
}

export function printableString(value: string): Der {
  if (!/^[A-Za-z0-9 '()+,\-./:=?]*$/.test(value)) {
    throw new RangeError(`PrintableString cannot hold ${JSON.stringify(value)}`);
  }
  return tlv(0x13, Buffer.from(value, 'latin1'));
}

export function boolean(value: boolean): Der {
  return tlv(0x01, Uint8Array.of(value ? 0xff : 0x00));
}

/** OBJECT IDENTIFIER from dotted form. */
export function oid(dotted: string): Der {
  const arcs = dotted.split('.').map((a) => {
    if (!/^\d+$/.test(a)) throw new RangeError(`not an OID: ${dotted}`);
    return Number(a);
  });
  const [first, second, ...rest] = arcs;
  if (first === undefined || second === undefined || first > 2) throw new RangeError(`not an OID: ${dotted}`);
  const out: number[] = [];
  for (const arc of [first * 40 + second, ...rest]) {
    const groups: number[] = [arc % 128];
    for (let a = Math.floor(arc / 128); a > 0; a = Math.floor(a / 128)) groups.unshift((a % 128) | 0x80);
    out.push(...groups);
  }
  return tlv(0x06, Uint8Array.from(out));
}

/**
 * The text of a GeneralizedTime, `YYYYMMDDHHMMSSZ`: UTC, whole seconds, the milliseconds dropped
 * (X.690 §11.7 — DER forbids a local time and trailing zeros of a fraction; dropping the fraction
 * is the simplest canonical form). The one place a signing time becomes text: the `timeInfo` of
 * `TBS_Sign` and an OFD's `SignatureDateTime` (GM/T 0099) are both made here from the same Date,
 * so a reader never shows a time other than the one the checks are made at.
 */
export function generalizedTimeText(at: Date): string {
  if (Number.isNaN(at.getTime())) throw new RangeError('GeneralizedTime: invalid date');
  const year = at.getUTCFullYear();
  // Four digits of year: toISOString writes `+010000-…` past 9999 and `-000001-…` before year 0,
  // which no reader takes for a GeneralizedTime.
  if (year < 0 || year > 9999) {
    throw new RangeError(`GeneralizedTime: year ${year} is outside 0000 to 9999 (${at.toISOString()})`);
  }
  return `${at.toISOString().slice(0, 19).replace(/[-:T]/g, '')}Z`;
}

/** GeneralizedTime (tag 24) of `generalizedTimeText(at)`. */
export function generalizedTime(at: Date): Der {
  return tlv(0x18, Buffer.from(generalizedTimeText(at), 'latin1'));
}

/** `[n] EXPLICIT` context tag around one element. */
export function explicit(tagNumber: number, inner: Der): Der {
  if (tagNumber > 30) throw new RangeError('only low tag numbers are supported');
  return tlv(0xa0 | tagNumber, inner);
}
