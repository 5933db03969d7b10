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

// Entry names' UTF-8 bytes: an OFD file's part names are the same in every file. Only read
// (copied into the archive). Started over past a few hundred names.
const names = new Map<string, Buffer>();

function nameBytes(name: string): Buffer {
  let bytes = names.get(name);
  if (bytes === undefined) {
    bytes = Buffer.from(name, 'utf8');
    if (names.size >= 512) names.clear();
    names.set(name, bytes);
  }
  return bytes;
}

/** `timeZone`: whose wall clock the entries' times are (an IANA name); UTC when left out. */
export function writeZip(entries: readonly ZipEntry[], modifiedAt: Date, timeZone?: string): Buffer {
  const { time, date } = dosDateTime(modifiedAt, timeZone);
  const seen = new Set<string>();
  // Pushed to, not made by `map`: see ofd-signature.ts on arrays `map` makes.
  const items: { name: Buffer; packed: PackedBody }[] = [];
  for (const entry of entries) {
    if (entry.name.startsWith('/') || entry.name.includes('\\') || seen.has(entry.name)) {
      throw new RangeError(`zip: bad or repeated entry name ${entry.name}`);
    }
    seen.add(entry.name);
    items.push({ name: nameBytes(entry.name), packed: entry.packed ?? packBody(entry.data) });
  }
  // One buffer of the final size, written in place: no per-header buffers to concatenate. Not
  // zeroed first: every byte is written below, the fields that are zero too. Its own memory, as
  // Buffer.alloc gave: never a slice of the shared pool.
  let localBytes = 0;
  let centralBytes = 0;
  for (const { name, packed } of items) {
    localBytes += LOCAL + name.length + packed.body.length;
    centralBytes += CENTRAL + name.length;
  }
  const out = Buffer.allocUnsafeSlow(localBytes + centralBytes + END);
  let at = 0;
  let dir = localBytes;
  for (const { name, packed } of items) {
    const offset = at;
    out.writeUInt32LE(0x04034b50, at);
    out.writeUInt16LE(20, at + 4); // version needed: 2.0 (deflate)
    out.writeUInt16LE(0x0800, at + 6); // UTF-8 names
    out.writeUInt16LE(packed.method, at + 8);
    out.writeUInt16LE(time, at + 10);
    out.writeUInt16LE(date, at + 12);
    out.writeUInt32LE(packed.crc, at + 14);
    out.writeUInt32LE(packed.body.length, at + 18);
    out.writeUInt32LE(packed.size, at + 22);
    out.writeUInt16LE(name.length, at + 26);
    out.writeUInt16LE(0, at + 28);
    name.copy(out, at + LOCAL);
    out.set(packed.body, at + LOCAL + name.length);
    at += LOCAL + name.length + packed.body.length;
    out.writeUInt32LE(0x02014b50, dir);
    out.writeUInt16LE(20, dir + 4); // made by: MS-DOS, 2.0
    out.writeUInt16LE(20, dir + 6);
    out.writeUInt16LE(0x0800, dir + 8);
    out.writeUInt16LE(packed.method, dir + 10);
    out.writeUInt16LE(time, dir + 12);
    out.writeUInt16LE(date, dir + 14);
    out.writeUInt32LE(packed.crc, dir + 16);
    out.writeUInt32LE(packed.body.length, dir + 20);
    out.writeUInt32LE(packed.size, dir + 24);
    out.writeUInt16LE(name.length, dir + 28);
    // Extra field and comment lengths, disk number, internal and external attributes: none.
    out.fill(0, dir + 30, dir + 42);
    out.writeUInt32LE(offset, dir + 42);
    name.copy(out, dir + CENTRAL);
    dir += CENTRAL + name.length;
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
