/**
 * Reading a ZIP archive through its central directory: names, sizes, CRC-32 checked on every
 * entry. Methods 0 (stored) and 8 (deflate) — what OFD producers write. A file that is not a
 * well-formed archive fails with a message saying what is wrong; an entry's bytes are the
 * inflated content, so a verifier hashes what a reader shows.
 */
import { crc32, inflateRawSync } from 'node:zlib';

export class ZipError extends Error {
  constructor(message: string) {
    super(`zip: ${message}`);
    this.name = 'ZipError';
  }
}

export interface ZipArchive {
  /** Entry names in directory order (folders omitted). */
  names: string[];
  read(name: string): Buffer;
  has(name: string): boolean;
}

/**
 * The largest part read, inflated: an OFD's parts are pages, pictures and fonts (a license file's
 * are kilobytes). A deflate stream inflates over 1000:1, so a small file from anywhere could
 * state, and inflate to, gigabytes: refused before inflating.
 */
export const MAX_PART_BYTES = 256 * 1024 * 1024;

/**
 * The most all parts of one archive may state together, inflated. Each part is held to
 * MAX_PART_BYTES, but an archive of many parts, each a quarter of a megabyte of deflate stream
 * stating 256 MiB, asked a verifier to inflate and hash a thousand times its own size.
 */
export const MAX_ARCHIVE_BYTES = 1024 * 1024 * 1024;

function findEnd(buf: Buffer): number {
  // The end record is 22 bytes plus a comment of at most 65535.
  for (let i = buf.length - 22; i >= Math.max(0, buf.length - 22 - 65_535); i--) {
    if (buf.readUInt32LE(i) === 0x06054b50) return i;
  }
  throw new ZipError('no end of central directory: not a ZIP archive');
}

const SIG_LOCAL = 0x04034b50;
const SIG_DESCRIPTOR = 0x08074b50;
const SIG_END64 = 0x06064b50;
const SIG_LOCATOR64 = 0x07064b50;
/** A 32-bit size or offset that says "see the zip64 extra field" (or a 16-bit count, its end record). */
const MAX32 = 0xffffffff;
/** General purpose flags: encrypted (bit 0), strong encryption (bit 6, APPNOTE 7.2). */
const ENCRYPTED = 0x0041;
const MAX16 = 0xffff;

function u64(buf: Buffer, at: number, what: string): number {
  const v = buf.readBigUInt64LE(at);
  if (v > BigInt(Number.MAX_SAFE_INTEGER)) throw new ZipError(`${what} is too large`);
  return Number(v);
}

/** Where the directory is, from the end record — or from the zip64 end record a zip64 writer puts before it. */
interface Directory {
  count: number;
  offset: number;
  size: number;
  /** Where the directory must end: the zip64 end record when there is one, else the end record. */
  end: number;
}

function readDirectory(buf: Buffer, end: number): Directory {
  const count = buf.readUInt16LE(end + 10);
  const size = buf.readUInt32LE(end + 12);
  const offset = buf.readUInt32LE(end + 16);
  const locator = end - 20;
  if (locator < 0 || buf.readUInt32LE(locator) !== SIG_LOCATOR64) return { count, offset, size, end };
  // Zip64 (written by some producers for any archive, by all for a large one): the end record's
  // values are the zip64 end record's, or their maximum standing for "see there".
  const at = u64(buf, locator + 8, 'the zip64 end record offset');
  if (at + 56 > locator || buf.readUInt32LE(at) !== SIG_END64)
    throw new ZipError('the zip64 end record is damaged');
  if (at + 12 + u64(buf, at + 4, 'the zip64 end record size') !== locator)
    throw new ZipError('the zip64 end record does not end where its locator begins');
  if (
    buf.readUInt32LE(locator + 4) !== 0 ||
    buf.readUInt32LE(at + 16) !== 0 ||
    buf.readUInt32LE(at + 20) !== 0
  )
    throw new ZipError('a multi-disk archive is not supported');
  const z = {
    count: u64(buf, at + 32, 'the entry count'),
    size: u64(buf, at + 40, 'the directory size'),
    offset: u64(buf, at + 48, 'the directory offset'),
  };
  if (
    u64(buf, at + 24, 'the entry count') !== z.count ||
    (count !== MAX16 && count !== z.count) ||
    (size !== MAX32 && size !== z.size) ||
    (offset !== MAX32 && offset !== z.offset)
  )
    throw new ZipError('the end record and the zip64 end record disagree');
  return { ...z, end: at };
}

/** The zip64 extra field (id 1) of an extra area, or undefined. */
function zip64Field(extra: Buffer): Buffer | undefined {
  for (let p = 0; p + 4 <= extra.length; ) {
    const len = extra.readUInt16LE(p + 2);
    if (extra.readUInt16LE(p) === 1) return extra.subarray(p + 4, p + 4 + len);
    p += 4 + len;
  }
  return undefined;
}

/**
 * Refuses a second name for an entry: the Info-ZIP Unicode Path extra field (0x7075: version 1,
 * the CRC-32 of the header's name, a UTF-8 name) that some readers (JSZip, which ofd.js opens OFD
 * files with; Info-ZIP unzip) show the entry under instead of its header's — when its CRC is the
 * header name's, as a field left over after a rename is ignored. Two signed parts renamed into
 * each other's places would keep every hash and show each one's bytes as the other.
 */
function checkUnicodePath(extra: Buffer, rawName: Buffer, name: string): void {
  for (let p = 0; p + 4 <= extra.length; ) {
    const len = extra.readUInt16LE(p + 2);
    const field = extra.subarray(p + 4, p + 4 + len);
    if (extra.readUInt16LE(p) === 0x7075 && field.length >= 5 && field[0] === 1) {
      const other = field.subarray(5).toString('utf8');
      if (field.readUInt32LE(1) === crc32(rawName) >>> 0 && other !== name)
        throw new ZipError(
          `${name}: its Unicode Path extra field names it ${other}: readers that honour the field show it under that name`,
        );
    }
    p += 4 + len;
  }
}

/**
 * Refuses a file entry whose external attributes (central directory only, outside every hash)
 * make it other than a file: JSZip, which ofd.js opens OFD files with, files an entry with the
 * MS-DOS directory bit as an empty folder (its name and a slash), so the part is gone for the
 * reader while its bytes verify, and fails to open an archive holding one of a Unix directory
 * mode; Info-ZIP restores a Unix symbolic link, whose bytes are then a path to another file.
 */
function checkAttributes(name: string, attributes: number): void {
  const mode = attributes >>> 16;
  const type = mode & 0o170000;
  if ((attributes & 0x10) !== 0 || type === 0o040000)
    throw new ZipError(
      `${name}: its attributes mark it a folder: readers that honour them (JSZip) show no such part`,
    );
  if (type === 0o120000)
    throw new ZipError(
      `${name}: its attributes mark it a symbolic link (Unix mode ${mode.toString(8)}): readers that honour them read another file`,
    );
  if (type !== 0 && type !== 0o100000)
    throw new ZipError(
      `${name}: its attributes mark it a special file (Unix mode ${mode.toString(8)}), not a part`,
    );
}

/** The zip64 extra field's first `wanted` values (present only where the header says MAX32, in order). */
function zip64Values(field: Buffer | undefined, wanted: number, name: string): number[] {
  if (field === undefined) throw new ZipError(`${name}: zip64 extra field is missing`);
  if (field.length < 8 * wanted) throw new ZipError(`${name}: zip64 extra field is too short`);
  return Array.from({ length: wanted }, (_, i) => u64(field, 8 * i, `${name}: a zip64 size`));
}

interface Entry {
  name: string;
  method: number;
  crc: number;
  size: number;
  compressed: number;
  local: number;
}

/**
 * Where an entry's data starts in its local record and where the record ends (after its data
 * descriptor, when it has one), once the local header tells the same story as the directory: a
 * reader that trusts either copy sees the same entry (name, method, CRC, sizes — ZIP tools
 * disagree otherwise). A producer writing as it streams (flag bit 3) leaves the local header's CRC
 * and sizes zero and writes them in a data descriptor after the data, which must agree instead.
 */
function localRecord(buf: Buffer, e: Entry, limit: number): { start: number; end: number } {
  if (e.local + 30 > limit || buf.readUInt32LE(e.local) !== SIG_LOCAL)
    throw new ZipError(`${e.name}: local header is damaged`);
  const nameLen = buf.readUInt16LE(e.local + 26);
  const extraLen = buf.readUInt16LE(e.local + 28);
  const start = e.local + 30 + nameLen + extraLen;
  if (start > limit) throw new ZipError(`${e.name}: local header is damaged`);
  const localName = buf.subarray(e.local + 30, e.local + 30 + nameLen);
  const flags = buf.readUInt16LE(e.local + 6);
  // Judged in both headers: a reader that goes by the local one (Java's ZipInputStream) refuses
  // an entry marked encrypted there, or reads its first bytes as an encryption header.
  if (flags & ENCRYPTED) throw new ZipError(`${e.name} is encrypted`);
  const streamed = (flags & 0x0008) !== 0;
  const crc = buf.readUInt32LE(e.local + 14);
  let compressed = buf.readUInt32LE(e.local + 18);
  let size = buf.readUInt32LE(e.local + 22);
  const localExtra = buf.subarray(e.local + 30 + nameLen, start);
  checkUnicodePath(localExtra, localName, e.name);
  const field = zip64Field(localExtra);
  // A zip64 local header holds both sizes in its extra field, whichever it needs; its data
  // descriptor, if any, holds them as 8 bytes each.
  const zip64 = field !== undefined;
  if (compressed === MAX32 || size === MAX32)
    [size, compressed] = zip64Values(field, 2, e.name) as [number, number];
  const blank = streamed && crc === 0 && compressed === 0 && size === 0;
  let end = start + e.compressed;
  if (streamed) {
    const signed =
      end + 8 <= limit && buf.readUInt32LE(end) === SIG_DESCRIPTOR && buf.readUInt32LE(end + 4) === e.crc;
    const at = signed ? end + 4 : end;
    const length = zip64 ? 20 : 12;
    if (at + length > limit) throw new ZipError(`${e.name}: data descriptor is missing`);
    const d = zip64
      ? [buf.readUInt32LE(at), u64(buf, at + 4, e.name), u64(buf, at + 12, e.name)]
      : [buf.readUInt32LE(at), buf.readUInt32LE(at + 4), buf.readUInt32LE(at + 8)];
    if (d[0] !== e.crc || d[1] !== e.compressed || d[2] !== e.size)
      throw new ZipError(`${e.name}: data descriptor disagrees with the central directory`);
    end = at + length;
  }
  if (
    buf.readUInt16LE(e.local + 8) !== e.method ||
    (!blank && (crc !== e.crc || compressed !== e.compressed || size !== e.size)) ||
    localName.toString('utf8') !== e.name
  ) {
    throw new ZipError(`${e.name}: local header disagrees with the central directory`);
  }
  return { start, end };
}

/**
 * The archive holds nothing but its entries, its directory and its end record (and a zip64 end
 * record with its locator), back to back: bytes outside them are read by no one here, yet a
 * reader that scans local headers from the start (a streaming unzip) may take hidden records there
 * for entries — or for the same entry with other content — and bytes after the end record may
 * hold a second one that some readers use.
 */
function checkLayout(
  buf: Buffer,
  end: number,
  dirEnd: number,
  dir: Directory,
  spans: readonly Entry[],
): void {
  if (
    buf.readUInt16LE(end + 4) !== 0 ||
    buf.readUInt16LE(end + 6) !== 0 ||
    buf.readUInt16LE(end + 8) !== buf.readUInt16LE(end + 10)
  )
    throw new ZipError('a multi-disk archive is not supported');
  const after = end + 22 + buf.readUInt16LE(end + 20);
  if (after !== buf.length)
    throw new ZipError(
      `${Math.abs(buf.length - after)} byte(s) ${after < buf.length ? 'after' : 'missing from'} the end record's comment`,
    );
  if (dirEnd !== dir.end || dir.offset + dir.size !== dir.end)
    throw new ZipError('the central directory does not end where its end record begins');
  let at = 0;
  for (const e of [...spans].sort((a, b) => a.local - b.local)) {
    if (e.local !== at)
      throw new ZipError(
        e.local > at
          ? `${e.local - at} byte(s) at offset ${at} belong to no entry of the directory`
          : `${e.name} overlaps the entry before it`,
      );
    at = localRecord(buf, e, dir.offset).end;
  }
  if (at !== dir.offset)
    throw new ZipError(
      at < dir.offset
        ? `${dir.offset - at} byte(s) at offset ${at} belong to no entry of the directory`
        : 'the last entry runs into the central directory',
    );
}

/** What `inflateRawSync` returns with `info: true`: the data, and the engine that read the stream. */
interface InflatedWithInfo {
  buffer: Buffer;
  engine: { bytesWritten: number };
}

export function readZip(buf: Buffer): ZipArchive {
  if (buf.length < 22) throw new ZipError('too short to be a ZIP archive');
  const end = findEnd(buf);
  const dir = readDirectory(buf, end);
  if (dir.offset + dir.size > dir.end) throw new ZipError('central directory runs past its end record');
  const entries = new Map<string, Entry>();
  // Every entry of the directory, folders too: where its local record starts and how much it holds.
  const spans: Entry[] = [];
  let p = dir.offset;
  for (let i = 0; i < dir.count; i++) {
    if (p + 46 > dir.end || buf.readUInt32LE(p) !== 0x02014b50)
      throw new ZipError(`central directory entry ${i} is damaged`);
    const flags = buf.readUInt16LE(p + 8);
    const method = buf.readUInt16LE(p + 10);
    const crc = buf.readUInt32LE(p + 16);
    let compressed = buf.readUInt32LE(p + 20);
    let size = buf.readUInt32LE(p + 24);
    const nameLen = buf.readUInt16LE(p + 28);
    const extraLen = buf.readUInt16LE(p + 30);
    const commentLen = buf.readUInt16LE(p + 32);
    let local = buf.readUInt32LE(p + 42);
    const rawName = buf.subarray(p + 46, p + 46 + nameLen);
    const name = rawName.toString(flags & 0x0800 ? 'utf8' : 'latin1');
    if (flags & ENCRYPTED) throw new ZipError(`${name} is encrypted`);
    if (entries.has(name)) throw new ZipError(`${name} appears twice`);
    const extra = buf.subarray(p + 46 + nameLen, p + 46 + nameLen + extraLen);
    checkUnicodePath(extra, rawName, name);
    // Zip64: the values the header gives as MAX32 are in its extra field, in this order.
    const wide = [size, compressed, local].filter((v) => v === MAX32).length;
    if (wide > 0) {
      const values = zip64Values(zip64Field(extra), wide, name);
      if (size === MAX32) size = values.shift() as number;
      if (compressed === MAX32) compressed = values.shift() as number;
      if (local === MAX32) local = values.shift() as number;
    }
    const entry = { name, method, crc, size, compressed, local };
    if (!name.endsWith('/')) {
      checkAttributes(name, buf.readUInt32LE(p + 38));
      entries.set(name, entry);
    }
    spans.push(entry);
    p += 46 + nameLen + extraLen + commentLen;
  }
  checkLayout(buf, end, p, dir, spans);
  let stated = 0;
  for (const e of entries.values()) stated += e.size;
  if (stated > MAX_ARCHIVE_BYTES)
    throw new ZipError(
      `its parts state ${stated} bytes in all, more than the ${MAX_ARCHIVE_BYTES} licbridge reads of one archive`,
    );
  const read = (name: string): Buffer => {
    const e = entries.get(name);
    if (!e) throw new ZipError(`no entry ${name}`);
    const { start } = localRecord(buf, e, dir.offset);
    const raw = buf.subarray(start, start + e.compressed);
    if (e.size > MAX_PART_BYTES)
      throw new ZipError(
        `${name}: ${e.size} bytes, more than the ${MAX_PART_BYTES} licbridge reads of one part`,
      );
    let data: Buffer;
    if (e.method === 0) data = Buffer.from(raw);
    else if (e.method === 8) {
      try {
        // Never past the stated size: a stream that would go on is damaged, and not inflated whole.
        // With `info`, the engine too: how many of the entry's bytes the stream took (node's
        // typings give the call one return type, the Buffer without `info`).
        const inflated = inflateRawSync(raw, {
          maxOutputLength: Math.max(1, e.size),
          info: true,
        }) as unknown as InflatedWithInfo;
        data = inflated.buffer;
        // zlib stops at the stream's last block and leaves what follows: bytes there, inside the
        // entry, are inflated and hashed by no one, yet a reader that reads the archive from its
        // start (Java's ZipInputStream: an entry with a data descriptor ends where its stream
        // ends) takes a local record hidden there for the next entry — another page of the name.
        const slack = raw.length - inflated.engine.bytesWritten;
        if (slack > 0)
          throw new ZipError(
            `${name}: ${slack} byte(s) after its deflate stream ends, inside the entry: no one inflates or hashes them, and a reader that reads the archive from its start may take them for entries`,
          );
      } catch (err) {
        if (err instanceof ZipError) throw err;
        if ((err as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE')
          throw new ZipError(
            `${name}: inflates past the ${e.size} bytes the directory states (damaged entry)`,
          );
        throw new ZipError(`${name}: compressed data is damaged (${(err as Error).message})`);
      }
    } else throw new ZipError(`${name}: compression method ${e.method} is not supported`);
    if (data.length !== e.size)
      throw new ZipError(`${name}: ${data.length} bytes, the directory says ${e.size}`);
    if (crc32(data) >>> 0 !== e.crc) throw new ZipError(`${name}: CRC-32 mismatch (damaged entry)`);
    return data;
  };
  return { names: [...entries.keys()], read, has: (name) => entries.has(name) };
}
