// The ZIP writer with bodies packed beforehand (a part shared by many files is deflated once)
// writes the same archive, byte for byte, as when it packs every entry itself.
import { randomBytes } from 'node:crypto';
import { describe, expect, it, vi } from 'vitest';
import { readZip } from '../../adapters/documents/zip/zip-reader.js';
import { packBody, writeZip } from '../../adapters/documents/zip/zip-writer.js';

describe('writeZip', () => {
  const entries = [
    { name: 'OFD.xml', data: Buffer.from('<ofd:OFD>'.repeat(40), 'utf8') },
    { name: 'Doc_0/证照.xml', data: Buffer.from('<a>电子证照</a>'.repeat(10), 'utf8') },
    // Does not shrink: stored.
    { name: 'Doc_0/Res/seal.png', data: randomBytes(600) },
    { name: 'empty', data: Buffer.alloc(0) },
  ];
  const at = new Date('2026-05-06T07:08:10Z');

  it('gives the same bytes whether a body is packed beforehand or by the writer', () => {
    const plain = writeZip(entries, at);
    const packed = writeZip(
      entries.map((e, i) => (i % 2 === 0 ? { ...e, packed: packBody(e.data) } : e)),
      at,
    );
    expect(packed.equals(plain)).toBe(true);
    const archive = readZip(packed);
    expect(archive.names).toEqual(entries.map((e) => e.name));
    for (const e of entries) expect(archive.read(e.name).equals(e.data), e.name).toBe(true);
  });

  it('writes every byte of the archive itself, whatever the memory it was given held', () => {
    // The archive's buffer is not zeroed before it is written: a field left unwritten would carry
    // whatever that memory held before.
    const given = (fill: number) => {
      const spy = vi.spyOn(Buffer, 'allocUnsafeSlow').mockImplementation((size) => Buffer.alloc(size, fill));
      try {
        return writeZip(entries, at);
      } finally {
        expect(spy).toHaveBeenCalled();
        spy.mockRestore();
      }
    };
    expect(given(0xa5).equals(given(0))).toBe(true);
  });

  it('stores what deflate does not shrink, deflates the rest', () => {
    expect(packBody(entries[0]?.data as Buffer).method).toBe(8);
    expect(packBody(entries[2]?.data as Buffer).method).toBe(0);
  });

  it('refuses a repeated name', () => {
    expect(() => writeZip([entries[0], entries[0]] as typeof entries, at)).toThrow(/repeated/);
  });
});
