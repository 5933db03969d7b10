/**
 * What resvg's font database (fontdb 0.14 over ttf-parser 0.19) reads of a face to find it by
 * name, read the same way from the OpenType tables (a few kilobytes of each file, not the file):
 * family names, whether it has a PostScript name, and whether it is the regular style. And the
 * characters a (small, subset) font maps to a glyph, from its `cmap`.
 */
import { closeSync, openSync, readSync } from 'node:fs';

export interface FaceNames {
  index: number;
  /** The typographic family names (name id 16), else the family names (id 1). */
  families: string[];
  /** Weight 400, normal width, neither italic, oblique nor slanted. */
  regular: boolean;
}

const tag = (s: string) => s.split('').reduce((n, c) => n * 256 + c.charCodeAt(0), 0);
const TTCF = tag('ttcf');
const WINDOWS_EN_US = 0x0409;

interface NameRecord {
  platform: number;
  encoding: number;
  language: number;
  id: number;
  bytes: Buffer;
}

/** ttf-parser's `is_unicode`: the Unicode platform, or Windows symbol and Unicode BMP. */
const isUnicode = (r: NameRecord) => r.platform === 0 || (r.platform === 3 && r.encoding <= 1);
const isMacRoman = (r: NameRecord) => r.platform === 1 && r.encoding === 0;

function decode(r: NameRecord): string | null {
  if (isUnicode(r))
    return r.bytes.length % 2 === 0 ? Buffer.from(r.bytes).swap16().toString('utf16le') : null;
  if (!isMacRoman(r)) return null;
  try {
    return new TextDecoder('macintosh').decode(r.bytes);
  } catch {
    return null;
  }
}

/** fontdb's `collect_families`, then `parse_names`' fallback from id 16 to id 1. */
function familiesOf(records: NameRecord[]): string[] {
  const collect = (id: number) => {
    const named = records.filter((r) => r.id === id && isUnicode(r));
    const out = named.map(decode).filter((s): s is string => s !== null);
    if (!named.some((r) => r.platform === 3 && r.language === WINDOWS_EN_US)) {
      const mac = records.find((r) => r.id === id && isMacRoman(r));
      const name = mac ? decode(mac) : null;
      if (name !== null) out.push(name);
    }
    return out;
  };
  const typographic = collect(16);
  return typographic.length > 0 ? typographic : collect(1);
}

type Read = (position: number, length: number) => Buffer;

function tableDirectory(read: Read, offset: number): Map<number, { offset: number; length: number }> {
  const count = read(offset + 4, 2).readUInt16BE(0);
  const records = read(offset + 12, 16 * count);
  const tables = new Map<number, { offset: number; length: number }>();
  for (let i = 0; i < count; i++) {
    const at = 16 * i;
    tables.set(records.readUInt32BE(at), {
      offset: records.readUInt32BE(at + 8),
      length: records.readUInt32BE(at + 12),
    });
  }
  return tables;
}

function face(read: Read, index: number, offset: number): FaceNames | null {
  const tables = tableDirectory(read, offset);
  const name = tables.get(tag('name'));
  if (!name) return null;
  const data = read(name.offset, name.length);
  const count = data.readUInt16BE(2);
  const storage = data.readUInt16BE(4);
  const records: NameRecord[] = [];
  for (let i = 0; i < count; i++) {
    const at = 6 + 12 * i;
    const start = storage + data.readUInt16BE(at + 10);
    records.push({
      platform: data.readUInt16BE(at),
      encoding: data.readUInt16BE(at + 2),
      language: data.readUInt16BE(at + 4),
      id: data.readUInt16BE(at + 6),
      bytes: data.subarray(start, start + data.readUInt16BE(at + 8)),
    });
  }
  const families = familiesOf(records);
  // fontdb leaves out a face without a family or a PostScript name (id 6).
  const postScript = records.some((r) => r.id === 6 && decode(r) !== null);
  if (families.length === 0 || !postScript) return null;
  let regular = true;
  const os2 = tables.get(tag('OS/2'));
  if (os2 && os2.length >= 64) {
    const t = read(os2.offset, 64);
    const fsSelection = t.readUInt16BE(62);
    const oblique = t.readUInt16BE(0) >= 4 && (fsSelection & 0x200) !== 0;
    regular = t.readUInt16BE(4) === 400 && t.readUInt16BE(6) === 5 && (fsSelection & 1) === 0 && !oblique;
  }
  const post = tables.get(tag('post'));
  // A face upright by its OS/2 bits but with an italic angle is taken as slanted.
  if (post && post.length >= 8 && read(post.offset + 4, 4).readInt32BE(0) !== 0) regular = false;
  return { index, families, regular };
}

/** The faces of a font file (one, or each of a collection), null where fontdb would skip one. */
export function readFaceNames(file: string): (FaceNames | null)[] {
  const fd = openSync(file, 'r');
  try {
    const read: Read = (position, length) => {
      const buf = Buffer.alloc(length);
      if (readSync(fd, buf, 0, length, position) !== length) throw new Error('truncated font file');
      return buf;
    };
    const head = read(0, 12);
    const offsets: number[] = [];
    if (head.readUInt32BE(0) === TTCF) {
      const n = head.readUInt32BE(8);
      const list = read(12, 4 * n);
      for (let i = 0; i < n; i++) offsets.push(list.readUInt32BE(4 * i));
    } else {
      offsets.push(0);
    }
    return offsets.map((offset, index) => {
      try {
        return face(read, index, offset);
      } catch {
        return null;
      }
    });
  } finally {
    closeSync(fd);
  }
}

/** Code points a font's `cmap` (formats 4 and 12) maps to a glyph other than `.notdef`. */
export function mappedCodePoints(font: Uint8Array): Set<number> {
  const data = Buffer.from(font.buffer, font.byteOffset, font.byteLength);
  const read: Read = (position, length) => {
    if (position + length > data.length) throw new Error('truncated font');
    return data.subarray(position, position + length);
  };
  const cmap = tableDirectory(read, 0).get(tag('cmap'));
  const out = new Set<number>();
  if (!cmap) return out;
  const t = read(cmap.offset, cmap.length);
  const subtables = t.readUInt16BE(2);
  for (let i = 0; i < subtables; i++) {
    const at = t.readUInt32BE(4 + 8 * i + 4);
    const format = t.readUInt16BE(at);
    if (format === 4) {
      const segX2 = t.readUInt16BE(at + 6);
      const ends = at + 14;
      const starts = ends + segX2 + 2;
      const deltas = starts + segX2;
      const ranges = deltas + segX2;
      for (let s = 0; s < segX2; s += 2) {
        const end = t.readUInt16BE(ends + s);
        const start = t.readUInt16BE(starts + s);
        const delta = t.readUInt16BE(deltas + s);
        const range = t.readUInt16BE(ranges + s);
        for (let c = start; c <= end && c !== 0xffff; c++) {
          let glyph: number;
          if (range === 0) glyph = (c + delta) & 0xffff;
          else {
            const g = t.readUInt16BE(ranges + s + range + 2 * (c - start));
            glyph = g === 0 ? 0 : (g + delta) & 0xffff;
          }
          if (glyph !== 0) out.add(c);
        }
      }
    } else if (format === 12) {
      const groups = t.readUInt32BE(at + 12);
      for (let g = 0; g < groups; g++) {
        const start = t.readUInt32BE(at + 16 + 12 * g);
        const end = t.readUInt32BE(at + 20 + 12 * g);
        const glyph = t.readUInt32BE(at + 24 + 12 * g);
        for (let c = start; c <= end; c++) if (glyph + (c - start) !== 0) out.add(c);
      }
    }
  }
  return out;
}
