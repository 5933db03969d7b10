// writeZip copies each entry name's headers from a template made once per name and writes only
// the fields of the entry's data and time: the archive is byte for byte the one written field by
// field (APPNOTE 4.3.7, 4.3.12, 4.3.16), for names of any length and script, for names met again
// after the memo of templates started over, and past the sizes the ZIP fields hold it refuses.
import { randomBytes } from 'node:crypto';
import { crc32 } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { readZip } from '../../adapters/documents/zip/zip-reader.js';
import { type PackedBody, packBody, writeZip } from '../../adapters/documents/zip/zip-writer.js';

/** Method, time, date, CRC-32, compressed size and size from `at`: a local header's 8, a central one's 10. */
function writeDataFields(header: Buffer, at: number, packed: PackedBody, time: number, date: number): void {
  header.writeUInt16LE(packed.method, at);
  header.writeUInt16LE(time, at + 2);
  header.writeUInt16LE(date, at + 4);
  header.writeUInt32LE(packed.crc, at + 6);
  header.writeUInt32LE(packed.body.length, at + 10);
  header.writeUInt32LE(packed.size, at + 14);
}

/** The archive written field by field, as APPNOTE lays it out (time and date given). */
function fieldByField(entries: { name: string; packed: PackedBody }[], time: number, date: number): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const { name, packed } of entries) {
    const n = Buffer.from(name, 'utf8');
    const local = Buffer.alloc(30 + n.length);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(0x0800, 6);
    writeDataFields(local, 8, packed, time, date);
    local.writeUInt16LE(n.length, 26);
    n.copy(local, 30);
    const central = Buffer.alloc(46 + n.length);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(0x0800, 8);
    writeDataFields(central, 10, packed, time, date);
    central.writeUInt16LE(n.length, 28);
    central.writeUInt32LE(offset, 42);
    n.copy(central, 46);
    locals.push(local, Buffer.from(packed.body));
    centrals.push(central);
    offset += local.length + packed.body.length;
  }
  const centralBytes = centrals.reduce((a, c) => a + c.length, 0);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(centralBytes, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, ...centrals, end]);
}

/** 2026-05-06 07:08:10 as MS-DOS fields (UTC). */
const AT = new Date('2026-05-06T07:08:10Z');
const TIME = (7 << 11) | (8 << 5) | 5;
const DATE = ((2026 - 1980) << 9) | (5 << 5) | 6;

// One body large enough for 4-byte fields, packed once: deflating 70 kB of random bytes again for
// each of the 175 such entries below was most of this file's CPU, and the headers a template
// gives depend on an entry's name, offset and fields, not on which bytes it holds.
const LARGE = randomBytes(70_000);
const LARGE_PACKED = packBody(LARGE);

function entriesNamed(names: string[]) {
  return names.map((name, k) => {
    // Deflated, stored (random bytes do not shrink), empty, and one large enough for 4-byte fields.
    if (k % 4 === 3) return { name, data: LARGE, packed: LARGE_PACKED };
    const data =
      k % 4 === 0
        ? Buffer.from(`<x>${name}</x>`.repeat(20), 'utf8')
        : k % 4 === 1
          ? randomBytes(300 + k)
          : Buffer.alloc(0);
    return { name, data, packed: packBody(data) };
  });
}

describe('writeZip header templates', () => {
  it('writes the archive the fields give, for names of every length and script', () => {
    const names = [
      'a',
      'OFD.xml',
      'Doc_0/Pages/Page_0/Content.xml',
      'Doc_0/证照/页面.xml',
      'Doc_0/😀.dat',
      'x'.repeat(300),
      'Doc_0/Signs/Sign_0/SignedValue.dat',
    ];
    const entries = entriesNamed(names);
    const zip = writeZip(entries, AT, 'UTC');
    expect(zip.equals(fieldByField(entries, TIME, DATE))).toBe(true);
    const archive = readZip(zip);
    expect(archive.names).toEqual(names);
    for (const e of entries) expect(archive.read(e.name).equals(e.data), e.name).toBe(true);
  });

  it('writes the same bytes for a name met again after the memo started over', () => {
    const first = entriesNamed(['OFD.xml', 'Doc_0/Document.xml']);
    const before = writeZip(first, AT, 'UTC');
    // Past the few hundred names the memo keeps, in archives of 50 names each.
    for (let a = 0; a < 14; a++) {
      const many = entriesNamed(Array.from({ length: 50 }, (_, k) => `n${a}/${k}.xml`).slice(0, 50));
      expect(writeZip(many, AT, 'UTC').equals(fieldByField(many, TIME, DATE))).toBe(true);
    }
    const after = writeZip(first, AT, 'UTC');
    expect(after.equals(before)).toBe(true);
    expect(after.equals(fieldByField(first, TIME, DATE))).toBe(true);
  });

  it('gives every archive its own bytes: a template is copied, never handed out', () => {
    const entries = entriesNamed(['OFD.xml']);
    const one = writeZip(entries, AT, 'UTC');
    one.fill(0xee);
    expect(writeZip(entries, AT, 'UTC').equals(fieldByField(entries, TIME, DATE))).toBe(true);
  });

  it('refuses more entries than its count fields hold (no ZIP64)', () => {
    const empty = { crc: crc32(Buffer.alloc(0)) >>> 0, size: 0, method: 0 as const, body: Buffer.alloc(0) };
    const entries = Array.from({ length: 0x10000 }, (_, k) => ({
      name: `e${k}`,
      data: Buffer.alloc(0),
      packed: empty,
    }));
    expect(() => writeZip(entries, AT, 'UTC')).toThrow(RangeError);
  });
});
