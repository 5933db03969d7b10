/**
 * Reading the GB/T 38540 containers: a cursor over the elements of one constructed value, built on
 * the strict TLV reader of local-sm2/der.ts. Each read names the field it expected, so a damaged
 * seal reports `SES_Seal.eSealInfo.property.validEnd: expected GeneralizedTime …` rather than an
 * offset. Every element keeps its exact encoded bytes (`raw`): signatures are checked over the
 * bytes as received, never over a re-encoding.
 */
import { isCalendarTime } from '../../../core/local-date.js';
import { DerError, decodeOid, decodeUnsignedInteger, readTlv } from '../local-sm2/der.js';

export interface Element {
  tag: number;
  value: Uint8Array;
  /** The whole TLV as it appeared in the input. */
  raw: Uint8Array;
}

const TAG_NAMES: Record<number, string> = {
  1: 'BOOLEAN',
  2: 'INTEGER',
  3: 'BIT STRING',
  4: 'OCTET STRING',
  6: 'OBJECT IDENTIFIER',
  12: 'UTF8String',
  19: 'PrintableString',
  22: 'IA5String',
  24: 'GeneralizedTime',
  48: 'SEQUENCE',
};

function tagName(tag: number): string {
  return TAG_NAMES[tag] ?? `tag 0x${tag.toString(16)}`;
}

/** Reads exactly one element spanning all of `buf`. */
export function readWhole(buf: Uint8Array, what: string): Element {
  let t: ReturnType<typeof readTlv>;
  try {
    t = readTlv(buf, 0);
  } catch (e) {
    throw new DerError(`${what}: ${(e as Error).message}`);
  }
  if (t.end !== buf.length) throw new DerError(`${what}: ${buf.length - t.end} byte(s) after the structure`);
  return { tag: t.tag, value: t.value, raw: buf.subarray(0, t.end) };
}

/** The elements inside one constructed value, read in order. */
export class DerCursor {
  #pos = 0;
  constructor(
    private readonly buf: Uint8Array,
    private readonly path: string,
  ) {}

  #where(field: string): string {
    return this.path === '' ? field : `${this.path}.${field}`;
  }

  get done(): boolean {
    return this.#pos >= this.buf.length;
  }

  peekTag(): number | undefined {
    return this.buf[this.#pos];
  }

  next(tag: number, field: string): Element {
    const where = this.#where(field);
    if (this.done) throw new DerError(`${where}: missing (expected ${tagName(tag)})`);
    let t: ReturnType<typeof readTlv>;
    try {
      t = readTlv(this.buf, this.#pos);
    } catch (e) {
      throw new DerError(`${where}: ${(e as Error).message}`);
    }
    if (t.tag !== tag) throw new DerError(`${where}: expected ${tagName(tag)}, got ${tagName(t.tag)}`);
    const raw = this.buf.subarray(this.#pos, t.end);
    this.#pos = t.end;
    return { tag: t.tag, value: t.value, raw };
  }

  /** A nested cursor over the next SEQUENCE. */
  sequence(field: string): { cursor: DerCursor; raw: Uint8Array } {
    const e = this.next(0x30, field);
    return { cursor: new DerCursor(e.value, this.#where(field)), raw: e.raw };
  }

  integer(field: string): bigint {
    const e = this.next(0x02, field);
    try {
      return decodeUnsignedInteger(e.value);
    } catch (err) {
      throw new DerError(`${this.#where(field)}: ${(err as Error).message}`);
    }
  }

  smallInteger(field: string): number {
    const v = this.integer(field);
    if (v > BigInt(Number.MAX_SAFE_INTEGER)) throw new DerError(`${this.#where(field)}: too large`);
    return Number(v);
  }

  ia5(field: string): string {
    const e = this.next(0x16, field);
    if (e.value.some((b) => b > 0x7f))
      throw new DerError(`${this.#where(field)}: IA5String holds a non-ASCII byte`);
    return Buffer.from(e.value).toString('latin1');
  }

  utf8(field: string): string {
    const e = this.next(0x0c, field);
    return new TextDecoder('utf-8', { fatal: true }).decode(e.value);
  }

  printable(field: string): string {
    return Buffer.from(this.next(0x13, field).value).toString('latin1');
  }

  octets(field: string): Uint8Array {
    return this.next(0x04, field).value;
  }

  /** A BIT STRING of whole octets (unused bits 0), as its octets. */
  bits(field: string): Uint8Array {
    const e = this.next(0x03, field);
    if (e.value[0] !== 0) throw new DerError(`${this.#where(field)}: BIT STRING with unused bits`);
    return e.value.subarray(1);
  }

  oid(field: string): string {
    return decodeOid(this.next(0x06, field).value);
  }

  boolean(field: string): boolean {
    const e = this.next(0x01, field);
    if (e.value.length !== 1) throw new DerError(`${this.#where(field)}: BOOLEAN of ${e.value.length} bytes`);
    return e.value[0] !== 0;
  }

  /**
   * GeneralizedTime. Accepts `YYYYMMDDHHMMSS[.f]Z` and, for seals made by other systems, the
   * local form without `Z` read as UTC+8 (the zone Chinese seal systems write).
   */
  time(field: string): Date {
    const text = Buffer.from(this.next(0x18, field).value).toString('latin1');
    const m = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(\.\d+)?(Z|[+-]\d{4})?$/.exec(text);
    if (!m) throw new DerError(`${this.#where(field)}: not a GeneralizedTime: ${JSON.stringify(text)}`);
    const zone = m[8] === undefined ? '+08:00' : m[8] === 'Z' ? 'Z' : `${m[8].slice(0, 3)}:${m[8].slice(3)}`;
    const date = new Date(`${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}${m[7] ?? ''}${zone}`);
    if (Number.isNaN(date.getTime()) || !isCalendarTime(m.slice(1, 7).map(Number)))
      throw new DerError(`${this.#where(field)}: invalid date ${text}`);
    return date;
  }

  /** Any element (for optional trailing fields). */
  any(field: string): Element {
    const tag = this.peekTag();
    if (tag === undefined) throw new DerError(`${this.#where(field)}: missing`);
    return this.next(tag, field);
  }

  end(): void {
    if (!this.done) throw new DerError(`${this.path}: unexpected trailing element(s)`);
  }
}
