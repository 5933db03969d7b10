// An archive is its entries, its directory and its end record, back to back. Bytes the directory
// does not account for — a local record no directory entry points at, bytes after the end record —
// are read by no one here, yet a reader that scans local headers from the start takes a hidden
// record for an entry (here one of the same name with other content: the page a streaming reader
// renders is not the page that was verified), and bytes after the end record may carry another
// end record some readers prefer. Such an archive is refused, naming where the bytes are.
import { describe, expect, it } from 'vitest';
import { readZip } from '../../adapters/documents/zip/zip-reader.js';
import { writeZip } from '../../adapters/documents/zip/zip-writer.js';

const at = new Date('2026-01-02T03:04:05Z');

/** `bytes` inserted at `offset`, the directory's offsets moved past them so every entry still reads. */
function insert(zip: Buffer, offset: number, bytes: Buffer): Buffer {
  const out = Buffer.concat([zip.subarray(0, offset), bytes, zip.subarray(offset)]);
  const end = out.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  const dirOffset = out.readUInt32LE(end + 16) + bytes.length;
  out.writeUInt32LE(dirOffset, end + 16);
  for (let p = dirOffset; out.readUInt32LE(p) === 0x02014b50; ) {
    const local = out.readUInt32LE(p + 42);
    if (local >= offset) out.writeUInt32LE(local + bytes.length, p + 42);
    p += 46 + out.readUInt16LE(p + 28) + out.readUInt16LE(p + 30) + out.readUInt16LE(p + 32);
  }
  return out;
}

describe('the layout of an archive', () => {
  const parts = [
    { name: 'OFD.xml', data: Buffer.from('<ofd/>') },
    { name: 'Doc_0/Pages/Page_0/Content.xml', data: Buffer.from('<page>signed</page>') },
  ];
  const zip = writeZip(parts, at);
  const second = 30 + 'OFD.xml'.length + zip.readUInt32LE(18);

  it('reads an archive whose entries, directory and end record fill it', () => {
    const archive = readZip(zip);
    expect(archive.names).toEqual(parts.map((p) => p.name));
    expect(archive.read('Doc_0/Pages/Page_0/Content.xml').toString()).toBe('<page>signed</page>');
  });

  it('refuses a local record hidden between entries, which a streaming reader takes for one', () => {
    const evil = writeZip(
      [{ name: 'Doc_0/Pages/Page_0/Content.xml', data: Buffer.from('<page>forged</page>') }],
      at,
    );
    const hidden = evil.subarray(0, evil.readUInt32LE(evil.length - 22 + 16));
    const tampered = insert(zip, second, hidden);
    // The directory still reads the signed page: only the layout tells the hidden record.
    expect(() => readZip(tampered)).toThrow(
      `zip: ${hidden.length} byte(s) at offset ${second} belong to no entry of the directory`,
    );
    expect(() => readZip(insert(zip, 0, hidden))).toThrow(
      `zip: ${hidden.length} byte(s) at offset 0 belong to no entry of the directory`,
    );
  });

  it('refuses bytes after the end record, or an end record whose comment runs past the file', () => {
    expect(() => readZip(Buffer.concat([zip, Buffer.from('trailing')]))).toThrow(
      "zip: 8 byte(s) after the end record's comment",
    );
    const commented = Buffer.from(zip);
    commented.writeUInt16LE(4, commented.length - 2);
    expect(() => readZip(commented)).toThrow("zip: 4 byte(s) missing from the end record's comment");
    // A real comment, declared whole, is part of the archive.
    const withComment = Buffer.concat([zip, Buffer.from('note')]);
    withComment.writeUInt16LE(4, zip.length - 2);
    expect(readZip(withComment).names).toHaveLength(2);
  });
});
