// An entry inflates to at most the size the directory gives it, and a part larger than licbridge
// reads is refused before it is inflated. `verify --file` reads OFD files from anywhere: a few
// megabytes of deflate stream inflate to gigabytes (over 1000:1). Before, an entry was inflated
// whole and only then compared with its stated size, so a small hostile file took the memory of
// `verify` (or of `verify --all` over a store holding one) until the process failed.
import { crc32, deflateRawSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import {
  MAX_ARCHIVE_BYTES,
  MAX_PART_BYTES,
  readZip,
  ZipError,
} from '../../adapters/documents/zip/zip-reader.js';
import { writeZip } from '../../adapters/documents/zip/zip-writer.js';

const at = new Date('2026-01-02T03:04:05Z');

/** An archive whose one entry states `size` bytes (and their CRC) over the deflate stream of `data`. */
function stating(size: number, data: Buffer): Buffer {
  const stated = Buffer.alloc(Math.min(size, data.length));
  data.copy(stated);
  return writeZip(
    [
      {
        name: 'Doc_0/Res/image.png',
        data: stated,
        packed: { crc: crc32(stated) >>> 0, size, method: 8, body: deflateRawSync(data, { level: 9 }) },
      },
    ],
    at,
  );
}

/** An archive of `count` parts, each stating `size` bytes over a small deflate stream. */
function manyStating(count: number, size: number): Buffer {
  const body = deflateRawSync(Buffer.alloc(1024), { level: 9 });
  return writeZip(
    Array.from({ length: count }, (_, i) => ({
      name: `Doc_0/Res/image_${i}.png`,
      data: Buffer.alloc(0),
      packed: { crc: 0, size, method: 8 as const, body },
    })),
    at,
  );
}

describe('inflating an entry', () => {
  it('stops at the size the directory states', () => {
    const zip = stating(1000, Buffer.alloc(64 * 1024 * 1024));
    expect(zip.length).toBeLessThan(200 * 1024);
    expect(() => readZip(zip).read('Doc_0/Res/image.png')).toThrow(
      new ZipError('Doc_0/Res/image.png: inflates past the 1000 bytes the directory states (damaged entry)'),
    );
  });

  it('refuses an entry stated larger than a part licbridge reads, before inflating it', () => {
    const size = MAX_PART_BYTES + 1;
    const zip = stating(size, Buffer.alloc(1024));
    expect(() => readZip(zip).read('Doc_0/Res/image.png')).toThrow(
      new ZipError(
        `Doc_0/Res/image.png: ${size} bytes, more than the ${MAX_PART_BYTES} licbridge reads of one part`,
      ),
    );
  });

  it('reads an entry whose stream inflates to exactly its stated size', () => {
    const data = Buffer.alloc(4 * 1024 * 1024, 7);
    expect(readZip(stating(data.length, data)).read('Doc_0/Res/image.png').equals(data)).toBe(true);
  });

  // Parts within the limit each, together stating more than one archive is read for: a verifier
  // inflated and hashed them all, a thousand times the file's size (zip-reader.ts).
  it('refuses an archive whose parts together state more than licbridge reads of one, before inflating any', () => {
    const count = Math.floor(MAX_ARCHIVE_BYTES / MAX_PART_BYTES) + 1;
    const zip = manyStating(count, MAX_PART_BYTES);
    expect(zip.length).toBeLessThan(64 * 1024);
    expect(() => readZip(zip)).toThrow(
      new ZipError(
        `its parts state ${count * MAX_PART_BYTES} bytes in all, more than the ${MAX_ARCHIVE_BYTES} licbridge reads of one archive`,
      ),
    );
  });

  it('reads an archive whose parts together state exactly that much', () => {
    const count = MAX_ARCHIVE_BYTES / MAX_PART_BYTES;
    expect(readZip(manyStating(count, MAX_PART_BYTES)).names).toHaveLength(count);
  });
});
