// Archives as other OFD producers write them must read as ours do: a writer that streams (Java's
// ZipOutputStream, a streaming unzip's counterpart) leaves the local header's CRC and sizes zero
// and puts them in a data descriptor after the data, with or without its signature; a zip64
// writer puts 8-byte sizes in extra fields and a zip64 end record with its locator before the end
// record, for small archives too; and an archive may carry a comment. Hidden bytes are still refused.
import { describe, expect, it } from 'vitest';
import { readZip } from '../../adapters/documents/zip/zip-reader.js';
import { packBody } from '../../adapters/documents/zip/zip-writer.js';

interface Style {
  /** A data descriptor after each entry's data: with its signature, or without. */
  descriptor?: 'signed' | 'bare';
  /** Zip64 extra fields (sizes and offset as 0xFFFFFFFF in the headers) and zip64 end records. */
  zip64?: boolean;
  /** Zip64 end records only, before an end record that holds the values itself. */
  zip64End?: boolean;
  comment?: string;
}

const MAX32 = 0xffffffff;

function u16(v: number): Buffer {
  const b = Buffer.alloc(2);
  b.writeUInt16LE(v);
  return b;
}
function u32(v: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32LE(v >>> 0);
  return b;
}
function u64(v: number): Buffer {
  const b = Buffer.alloc(8);
  b.writeBigUInt64LE(BigInt(v));
  return b;
}

/** An archive of `parts` written in the given style. */
function archive(parts: readonly { name: string; data: string }[], style: Style): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const part of parts) {
    const packed = packBody(Buffer.from(part.data));
    const name = Buffer.from(part.name);
    const flags = 0x0800 | (style.descriptor ? 0x0008 : 0);
    const streamed = style.descriptor !== undefined;
    const localExtra = style.zip64
      ? Buffer.concat([
          u16(1),
          u16(16),
          u64(streamed ? 0 : packed.size),
          u64(streamed ? 0 : packed.body.length),
        ])
      : Buffer.alloc(0);
    const localSizes = style.zip64
      ? [u32(MAX32), u32(MAX32)]
      : streamed
        ? [u32(0), u32(0)]
        : [u32(packed.body.length), u32(packed.size)];
    const local = Buffer.concat([
      u32(0x04034b50),
      u16(45),
      u16(flags),
      u16(packed.method),
      u32(0),
      u32(streamed ? 0 : packed.crc),
      ...localSizes,
      u16(name.length),
      u16(localExtra.length),
      name,
      localExtra,
      Buffer.from(packed.body),
      ...(streamed
        ? [
            ...(style.descriptor === 'signed' ? [u32(0x08074b50)] : []),
            u32(packed.crc),
            ...(style.zip64
              ? [u64(packed.body.length), u64(packed.size)]
              : [u32(packed.body.length), u32(packed.size)]),
          ]
        : []),
    ]);
    const centralExtra = style.zip64
      ? Buffer.concat([u16(1), u16(24), u64(packed.size), u64(packed.body.length), u64(offset)])
      : Buffer.alloc(0);
    centrals.push(
      Buffer.concat([
        u32(0x02014b50),
        u16(45),
        u16(45),
        u16(flags),
        u16(packed.method),
        u32(0),
        u32(packed.crc),
        u32(style.zip64 ? MAX32 : packed.body.length),
        u32(style.zip64 ? MAX32 : packed.size),
        u16(name.length),
        u16(centralExtra.length),
        u16(0),
        u16(0),
        u16(0),
        u32(0),
        u32(style.zip64 ? MAX32 : offset),
        name,
        centralExtra,
      ]),
    );
    locals.push(local);
    offset += local.length;
  }
  const directory = Buffer.concat(centrals);
  const zip64End =
    style.zip64 || style.zip64End
      ? Buffer.concat([
          u32(0x06064b50),
          u64(44),
          u16(45),
          u16(45),
          u32(0),
          u32(0),
          u64(parts.length),
          u64(parts.length),
          u64(directory.length),
          u64(offset),
        ])
      : Buffer.alloc(0);
  const locator =
    style.zip64 || style.zip64End
      ? Buffer.concat([u32(0x07064b50), u32(0), u64(offset + directory.length), u32(1)])
      : Buffer.alloc(0);
  const comment = Buffer.from(style.comment ?? '');
  const end = Buffer.concat([
    u32(0x06054b50),
    u16(0),
    u16(0),
    u16(style.zip64 ? 0xffff : parts.length),
    u16(style.zip64 ? 0xffff : parts.length),
    u32(style.zip64 ? MAX32 : directory.length),
    u32(style.zip64 ? MAX32 : offset),
    u16(comment.length),
    comment,
  ]);
  return Buffer.concat([...locals, directory, zip64End, locator, end]);
}

const parts = [
  { name: 'OFD.xml', data: '<ofd:OFD>'.repeat(20) },
  { name: 'Doc_0/Pages/Page_0/Content.xml', data: '<page>signed</page>' },
];

describe('an archive written by another producer', () => {
  it.each<[string, Style]>([
    ['data descriptors with their signature', { descriptor: 'signed' }],
    ['data descriptors without a signature', { descriptor: 'bare' }],
    ['zip64 extra fields and end records', { zip64: true }],
    ['zip64 with data descriptors', { zip64: true, descriptor: 'signed' }],
    ['zip64 end records before a complete end record', { zip64End: true }],
    ['an archive comment', { comment: 'made by another OFD producer' }],
  ])('reads one written with %s', (_what, style) => {
    const zip = readZip(archive(parts, style));
    expect(zip.names).toEqual(parts.map((p) => p.name));
    for (const p of parts) expect(zip.read(p.name).toString()).toBe(p.data);
  });

  it('refuses a data descriptor that disagrees with the directory', () => {
    const zip = archive(parts, { descriptor: 'bare' });
    // The first descriptor's uncompressed size, right before the second local record.
    const second = zip.indexOf(Buffer.from([0x50, 0x4b, 0x03, 0x04]), 4);
    zip.writeUInt32LE(zip.readUInt32LE(second - 4) + 1, second - 4);
    expect(() => readZip(zip)).toThrow('OFD.xml: data descriptor disagrees with the central directory');
  });

  it('still refuses bytes between the zip64 end record and the directory', () => {
    const zip = archive(parts, { zip64: true });
    const end64 = zip.indexOf(Buffer.from([0x50, 0x4b, 0x06, 0x06]));
    const hidden = Buffer.concat([zip.subarray(0, end64), Buffer.from('hidden'), zip.subarray(end64)]);
    // The locator points at the zip64 end record where it now is.
    const locator = hidden.indexOf(Buffer.from([0x50, 0x4b, 0x06, 0x07]));
    hidden.writeBigUInt64LE(BigInt(end64 + 6), locator + 8);
    expect(() => readZip(hidden)).toThrow('zip:');
  });
});
