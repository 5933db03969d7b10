/**
 * A file is read no further than one byte past `maxFileBytes`, and held in no more memory than
 * that: the reads of a pipe, or of an export still being written, come a few KiB at a time, and a
 * buffer of 64 KiB each held many times the ceiling before the ceiling was reached.
 */
import { describe, expect, it } from 'vitest';
import { readAtMost } from '../../connectors/xml-files/files.js';

/** A file of `length` bytes whose reads return `step` bytes at most; it tells the memory read into. */
function trickle(length: number, step: number) {
  const buffers = new Set<ArrayBufferLike>();
  let at = 0;
  const handle = {
    read: async (buffer: Buffer, offset: number, count: number) => {
      buffers.add(buffer.buffer);
      const n = Math.min(step, count, length - at);
      buffer.fill(0x41, offset, offset + n);
      at += n;
      return { bytesRead: n, buffer };
    },
  } as unknown as Parameters<typeof readAtMost>[0];
  const held = () => [...buffers].reduce((sum, b) => sum + b.byteLength, 0);
  return { handle, held };
}

describe('xml-files: reading a file a few KiB a read', () => {
  it('a file growing past the ceiling is read to one byte past it, in memory of a few times that', async () => {
    const limit = 100_001;
    const { handle, held } = trickle(10_000_000, 1_000);
    const bytes = await readAtMost(handle, limit, 0);
    expect(bytes.length).toBe(limit);
    expect(held()).toBeLessThanOrEqual(4 * limit);
  });

  it('a file below the ceiling is read whole, its bytes as written', async () => {
    const { handle, held } = trickle(150_000, 4_096);
    const bytes = await readAtMost(handle, 1_000_001, 100_000);
    expect(bytes.length).toBe(150_000);
    expect(bytes.every((b) => b === 0x41)).toBe(true);
    expect(held()).toBeLessThanOrEqual(4 * 150_000);
  });

  it('a file that shrank since its stat is read as it now is', async () => {
    const { handle } = trickle(10, 4_096);
    expect((await readAtMost(handle, 1_000_001, 100_000)).length).toBe(10);
  });
});
