// A part's external attributes are in the central directory, outside every hash and signature.
// JSZip (the ZIP reader of ofd.js) files an entry with the MS-DOS directory bit as a folder under
// its name and a slash, with no content: the part is gone for the reader while the verifier hashes
// its bytes. An entry of a Unix directory mode makes JSZip fail to open the file at all, and
// Info-ZIP and readers built like it restore a Unix symbolic link, whose bytes are then a path to
// another file. Flipping those bits in a sealed license hid its page and still verified.
import JSZip from 'jszip';
import { describe, expect, it } from 'vitest';
import { verifyOfd } from '../../adapters/documents/ofd/ofd-verify.js';
import { readZip, ZipError } from '../../adapters/documents/zip/zip-reader.js';
import { writeZip } from '../../adapters/documents/zip/zip-writer.js';
import { useSealedLicense } from './sealed-license.js';

const PAGE = 'Doc_0/Pages/Page_0/Content.xml';

/** `file` with the central directory entry of `name` given `madeBy` and `attributes`. */
function withAttributes(file: Buffer, name: string, madeBy: number, attributes: number): Buffer {
  const out = Buffer.from(file);
  const end = out.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  let p = out.readUInt32LE(end + 16);
  for (let i = 0; i < out.readUInt16LE(end + 10); i++) {
    const nameLen = out.readUInt16LE(p + 28);
    if (out.toString('utf8', p + 46, p + 46 + nameLen) === name) {
      out.writeUInt16LE(madeBy, p + 4);
      out.writeUInt32LE(attributes >>> 0, p + 38);
      return out;
    }
    p += 46 + nameLen + out.readUInt16LE(p + 30) + out.readUInt16LE(p + 32);
  }
  throw new Error(`no entry ${name}`);
}

const DOS = 20;
const UNIX = (3 << 8) | 20;

describe("a part's external attributes", () => {
  const sealed = useSealedLicense();

  const FOLDER = `zip: ${PAGE}: its attributes mark it a folder: readers that honour them (JSZip) show no such part`;

  it('fails a signed part marked a folder by the MS-DOS directory bit, which JSZip does not show', async () => {
    const file = withAttributes(sealed.file, PAGE, DOS, 0x10);
    // What the reader shows: no page.
    expect((await JSZip.loadAsync(file)).file(PAGE)).toBeNull();
    const result = verifyOfd(file, sealed.kit.trust);
    expect(result.ok).toBe(false);
    expect(result.problems).toEqual([FOLDER]);
  });

  it('fails a signed part marked a folder by a Unix directory mode, which JSZip cannot open', async () => {
    const file = withAttributes(sealed.file, PAGE, UNIX, 0o040755 << 16);
    await expect(JSZip.loadAsync(file)).rejects.toThrow(TypeError);
    const result = verifyOfd(file, sealed.kit.trust);
    expect(result.ok).toBe(false);
    expect(result.problems).toEqual([FOLDER]);
  });

  it('fails a signed part marked a Unix symbolic link', () => {
    const file = withAttributes(sealed.file, PAGE, UNIX, 0o120777 << 16);
    const result = verifyOfd(file, sealed.kit.trust);
    expect(result.ok).toBe(false);
    expect(result.problems).toEqual([
      `zip: ${PAGE}: its attributes mark it a symbolic link (Unix mode 120777): readers that honour them read another file`,
    ]);
  });

  it('reads a part of a regular Unix mode, or of MS-DOS attributes other than a folder', () => {
    for (const [madeBy, attributes] of [
      [UNIX, 0o100644 << 16],
      [UNIX, 0],
      [DOS, 0x20],
      [DOS, 0x01],
    ] as const) {
      const file = withAttributes(sealed.file, PAGE, madeBy, attributes);
      expect(verifyOfd(file, sealed.kit.trust).ok, `${madeBy} ${attributes}`).toBe(true);
    }
  });

  it('reads a folder entry marked a folder, and fails a special file', () => {
    const zip = writeZip(
      [
        { name: 'Doc_0/', data: Buffer.alloc(0) },
        { name: 'a.xml', data: Buffer.from('<a/>') },
      ],
      new Date(),
    );
    const dirMode = 0o040755 << 16;
    expect(readZip(withAttributes(zip, 'Doc_0/', UNIX, dirMode | 0x10)).names).toEqual(['a.xml']);
    expect(() => readZip(withAttributes(zip, 'a.xml', UNIX, 0o010644 << 16))).toThrow(
      new ZipError('a.xml: its attributes mark it a special file (Unix mode 10644), not a part'),
    );
  });
});
