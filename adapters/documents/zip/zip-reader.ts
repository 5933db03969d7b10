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

function findEnd(buf: Buffer): number {
  // The end record is 22 bytes plus a comment of at most 65535.
  for (let i = buf.length - 22; i >= Math.max(0, buf.length - 22 - 65_535); i--) {
    if (buf.readUInt32LE(i) === 0x06054b50) return i;
  }
  throw new ZipError('no end of central directory: not a ZIP archive');
}

/**
 * The archive holds nothing but its entries, its directory and its end record, back to back:
 * bytes outside them are read by no one here, yet a reader that scans local headers from the
 * start (a streaming unzip) may take hidden records there for entries — or for the same entry with
 * other content — and bytes after the end record may hold a second one that some readers use.
 */
function checkLayout(
  buf: Buffer,
  end: number,
  dirEnd: number,
  dirOffset: number,
  count: number,
  spans: readonly { name: string; local: number; compressed: number }[],
): void {
  if (
    buf.readUInt16LE(end + 4) !== 0 ||
    buf.readUInt16LE(end + 6) !== 0 ||
    buf.readUInt16LE(end + 8) !== count
  )
    throw new ZipError('a multi-disk archive is not supported');
  const after = end + 22 + buf.readUInt16LE(end + 20);
  if (after !== buf.length)
    throw new ZipError(
      `${Math.abs(buf.length - after)} byte(s) ${after < buf.length ? 'after' : 'missing from'} the end record's comment`,
    );
  if (dirEnd !== end || dirOffset + buf.readUInt32LE(end + 12) !== end)
    throw new ZipError('the central directory does not end where its end record begins');
  let at = 0;
  for (const e of [...spans].sort((a, b) => a.local - b.local)) {
    if (e.local !== at)
      throw new ZipError(
        e.local > at
          ? `${e.local - at} byte(s) at offset ${at} belong to no entry of the directory`
          : `${e.name} overlaps the entry before it`,
      );
    if (e.local + 30 > dirOffset || buf.readUInt32LE(e.local) !== 0x04034b50)
      throw new ZipError(`${e.name}: local header is damaged`);
    at = e.local + 30 + buf.readUInt16LE(e.local + 26) + buf.readUInt16LE(e.local + 28) + e.compressed;
  }
  if (at !== dirOffset)
    throw new ZipError(
      at < dirOffset
        ? `${dirOffset - at} byte(s) at offset ${at} belong to no entry of the directory`
        : 'the last entry runs into the central directory',
    );
}

export function readZip(buf: Buffer): ZipArchive {
  if (buf.length < 22) throw new ZipError('too short to be a ZIP archive');
  const end = findEnd(buf);
  const count = buf.readUInt16LE(end + 10);
  const dirSize = buf.readUInt32LE(end + 12);
  const dirOffset = buf.readUInt32LE(end + 16);
  if (dirOffset + dirSize > end) throw new ZipError('central directory runs past its end record');
  const entries = new Map<
    string,
    { method: number; crc: number; size: number; compressed: number; local: number }
  >();
  // Every entry of the directory, folders too: where its local record starts and how much it holds.
  const spans: { name: string; local: number; compressed: number }[] = [];
  let p = dirOffset;
  for (let i = 0; i < count; i++) {
    if (p + 46 > buf.length || buf.readUInt32LE(p) !== 0x02014b50)
      throw new ZipError(`central directory entry ${i} is damaged`);
    const flags = buf.readUInt16LE(p + 8);
    const method = buf.readUInt16LE(p + 10);
    const crc = buf.readUInt32LE(p + 16);
    const compressed = buf.readUInt32LE(p + 20);
    const size = buf.readUInt32LE(p + 24);
    const nameLen = buf.readUInt16LE(p + 28);
    const extraLen = buf.readUInt16LE(p + 30);
    const commentLen = buf.readUInt16LE(p + 32);
    const local = buf.readUInt32LE(p + 42);
    const name = buf.subarray(p + 46, p + 46 + nameLen).toString(flags & 0x0800 ? 'utf8' : 'latin1');
    if (flags & 0x0001) throw new ZipError(`${name} is encrypted`);
    if (entries.has(name)) throw new ZipError(`${name} appears twice`);
    if (!name.endsWith('/')) entries.set(name, { method, crc, size, compressed, local });
    spans.push({ name, local, compressed });
    p += 46 + nameLen + extraLen + commentLen;
  }
  checkLayout(buf, end, p, dirOffset, count, spans);
  const read = (name: string): Buffer => {
    const e = entries.get(name);
    if (!e) throw new ZipError(`no entry ${name}`);
    if (e.local + 30 > buf.length || buf.readUInt32LE(e.local) !== 0x04034b50) {
      throw new ZipError(`${name}: local header is damaged`);
    }
    // The local header must tell the same story as the directory: a reader that trusts either
    // copy sees the same entry (name, method, CRC, sizes — ZIP tools disagree otherwise).
    const localName = buf.subarray(e.local + 30, e.local + 30 + buf.readUInt16LE(e.local + 26));
    if (
      buf.readUInt16LE(e.local + 8) !== e.method ||
      buf.readUInt32LE(e.local + 14) !== e.crc ||
      buf.readUInt32LE(e.local + 18) !== e.compressed ||
      buf.readUInt32LE(e.local + 22) !== e.size ||
      localName.toString('utf8') !== name
    ) {
      throw new ZipError(`${name}: local header disagrees with the central directory`);
    }
    const start = e.local + 30 + buf.readUInt16LE(e.local + 26) + buf.readUInt16LE(e.local + 28);
    const raw = buf.subarray(start, start + e.compressed);
    let data: Buffer;
    if (e.method === 0) data = Buffer.from(raw);
    else if (e.method === 8) {
      try {
        data = inflateRawSync(raw);
      } catch (err) {
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
