/**
 * Writing a ZIP archive (PKWARE APPNOTE 6.3, the container of OFD, GB/T 33190 §7.1): local file
 * headers, deflated or stored data, a central directory. No data descriptors, no ZIP64 (a
 * license file is tens of kilobytes), UTF-8 names flagged (bit 11). The entry order and the
 * timestamps are the caller's, so the same parts give the same bytes.
 */
import { crc32, deflateRawSync } from 'node:zlib';
import { wallClockFields } from '../../../core/local-date.js';

/** An entry's data as it goes into the archive: its CRC, its size, and the body (deflated or stored). */
export interface PackedBody {
  crc: number;
  /** Uncompressed size. */
  size: number;
  /** 8: deflate, 0: stored. */
  method: 0 | 8;
  body: Uint8Array;
}

export interface ZipEntry {
  /** Path inside the archive, `/`-separated, no leading slash. */
  name: string;
  data: Uint8Array;
  /**
   * `packBody(data)`, when the caller already has it: a part that many archives share is
   * deflated once (bench/license-files.ts). Must be the packing of `data`.
   */
  packed?: PackedBody;
}

// A batch's files share one signing time: its fields are worked out once.
let lastDos = { key: '', time: 0, date: 0 };

/**
 * MS-DOS date and time (APPNOTE 4.4.6: 2-second resolution, wall-clock fields with no zone, which
 * zip tools show as they are): the wall clock of `timeZone` (the zone of the file's CreationDate),
 * UTC when none is given.
 */
function dosDateTime(at: Date, timeZone = 'UTC'): { time: number; date: number } {
  const key = `${timeZone} ${at.getTime()}`;
  if (lastDos.key === key) return lastDos;
  const f = wallClockFields(at, timeZone);
  lastDos = {
    key,
    time: (f.hour << 11) | (f.minute << 5) | Math.floor(f.second / 2),
    date: ((Math.max(1980, f.year) - 1980) << 9) | (f.month << 5) | f.day,
  };
  return lastDos;
}

/**
 * Deflates `data` (level 1) or keeps it stored when deflate does not shrink it — or, with
 * `deflate` false, stores it without trying (data known to shrink too little to pay for it).
 */
export function packBody(data: Uint8Array, deflate = true): PackedBody {
  if (!deflate) return { crc: crc32(data) >>> 0, size: data.length, method: 0, body: data };
  // Level 1: XML deflates nearly as well as at 9 for a fraction of the time (bench/license-files.ts).
  const deflated = deflateRawSync(data, { level: 1 });
  // Store what does not shrink (PNG, already compressed): method 0.
  const stored = deflated.length >= data.length;
  return {
    crc: crc32(data) >>> 0,
    size: data.length,
    method: stored ? 0 : 8,
    body: stored ? data : deflated,
  };
}

const LOCAL = 30;
const CENTRAL = 46;
const END = 22;

/**
 * An entry name's two headers with every field that does not depend on the entry's data or time
 * already written (signatures, versions, the UTF-8 flag, the name's length, the zero lengths,
 * disk number and attributes, the name itself): the archive copies them and writes the seven
 * fields left. Field by field, some thirty `writeUInt*LE` calls an entry — two hundred a license
 * file, each checking its offset — were most of the writer's own time, and its largest code for
 * V8 to compile in a run's first files.
 */
interface NameHeaders {
  /** The local file header (APPNOTE 4.3.7), its name after it. */
  local: Buffer;
  /** The central directory header (APPNOTE 4.3.12), its name after it. */
  central: Buffer;
}

function headersOf(nameBytes: Buffer): NameHeaders {
  const local = Buffer.alloc(LOCAL + nameBytes.length);
  local.writeUInt32LE(0x04034b50, 0);
  local.writeUInt16LE(20, 4); // version needed: 2.0 (deflate)
  local.writeUInt16LE(0x0800, 6); // UTF-8 names
  // 8: method, 10: time, 12: date, 14: CRC, 18: compressed size, 22: size (per entry).
  local.writeUInt16LE(nameBytes.length, 26);
  local.writeUInt16LE(0, 28); // no extra field
  nameBytes.copy(local, LOCAL);
  const central = Buffer.alloc(CENTRAL + nameBytes.length);
  central.writeUInt32LE(0x02014b50, 0);
  central.writeUInt16LE(20, 4); // made by: MS-DOS, 2.0
  central.writeUInt16LE(20, 6);
  central.writeUInt16LE(0x0800, 8);
  // 10: method, 12: time, 14: date, 16: CRC, 20: compressed size, 24: size, 42: offset (per entry).
  central.writeUInt16LE(nameBytes.length, 28);
  // Extra field and comment lengths, disk number, internal and external attributes: none (zero).
  nameBytes.copy(central, CENTRAL);
  return { local, central };
}

// Entry names' headers: an OFD file's part names are the same in every file. Only read (copied
// into the archive). Started over past a few hundred names.
const names = new Map<string, NameHeaders>();

function headersFor(name: string): NameHeaders {
  let headers = names.get(name);
  if (headers === undefined) {
    headers = headersOf(Buffer.from(name, 'utf8'));
    if (names.size >= 512) names.clear();
    names.set(name, headers);
  }
  return headers;
}

/** Little-endian 16 bits at `at`: a store a byte, no offset checks (the archive's size is exact). */
function u16(out: Buffer, at: number, value: number): void {
  out[at] = value & 0xff;
  out[at + 1] = (value >>> 8) & 0xff;
}

/** Little-endian 32 bits at `at`. */
function u32(out: Buffer, at: number, value: number): void {
  out[at] = value & 0xff;
  out[at + 1] = (value >>> 8) & 0xff;
  out[at + 2] = (value >>> 16) & 0xff;
  out[at + 3] = (value >>> 24) & 0xff;
}

/**
 * The fields of an entry's data and time, which a local header holds from offset 8 and a central
 * header from offset 10 in the same order (APPNOTE 4.3.7, 4.3.12): method, time, date, CRC-32,
 * compressed size, size.
 */
function dataFields(out: Buffer, at: number, packed: PackedBody, time: number, date: number): void {
  u16(out, at, packed.method);
  u16(out, at + 2, time);
  u16(out, at + 4, date);
  u32(out, at + 6, packed.crc);
  u32(out, at + 10, packed.body.length);
  u32(out, at + 14, packed.size);
}

/** `timeZone`: whose wall clock the entries' times are (an IANA name); UTC when left out. */
export function writeZip(entries: readonly ZipEntry[], modifiedAt: Date, timeZone?: string): Buffer {
  const { time, date } = dosDateTime(modifiedAt, timeZone);
  const seen = new Set<string>();
  // Pushed to, not made by `map`: see ofd-signature.ts on arrays `map` makes.
  const items: { headers: NameHeaders; packed: PackedBody }[] = [];
  for (const entry of entries) {
    if (entry.name.startsWith('/') || entry.name.includes('\\') || seen.has(entry.name)) {
      throw new RangeError(`zip: bad or repeated entry name ${entry.name}`);
    }
    seen.add(entry.name);
    items.push({ headers: headersFor(entry.name), packed: entry.packed ?? packBody(entry.data) });
  }
  // One buffer of the final size, written in place: no per-header buffers to concatenate. Not
  // zeroed first: every byte is written below, the fields that are zero too (copied with the
  // headers). Its own memory, as Buffer.alloc gave: never a slice of the shared pool.
  let localBytes = 0;
  let centralBytes = 0;
  for (const { headers, packed } of items) {
    localBytes += headers.local.length + packed.body.length;
    centralBytes += headers.central.length;
  }
  if (localBytes > 0xffffffff || items.length > 0xffff) throw new RangeError('zip: too large (no ZIP64)');
  const out = Buffer.allocUnsafeSlow(localBytes + centralBytes + END);
  let at = 0;
  let dir = localBytes;
  for (const { headers, packed } of items) {
    const { local, central } = headers;
    const offset = at;
    out.set(local, at);
    dataFields(out, at + 8, packed, time, date);
    out.set(packed.body, at + local.length);
    at += local.length + packed.body.length;
    out.set(central, dir);
    dataFields(out, dir + 10, packed, time, date);
    u32(out, dir + 42, offset);
    dir += central.length;
  }
  out.writeUInt32LE(0x06054b50, dir);
  out.writeUInt32LE(0, dir + 4); // this disk, the central directory's disk
  out.writeUInt16LE(items.length, dir + 8);
  out.writeUInt16LE(items.length, dir + 10);
  out.writeUInt32LE(centralBytes, dir + 12);
  out.writeUInt32LE(localBytes, dir + 16);
  out.writeUInt16LE(0, dir + 20); // no comment
  return out;
}
