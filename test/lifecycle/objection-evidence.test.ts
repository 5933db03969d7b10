/**
 * The evidence file of an objection: the ledger keeps its SM3 and size, whatever its size (the
 * column is a bigint) — a scanned or filmed piece of evidence may pass 2 GiB, which a read of the
 * whole file into memory refuses — and a file that cannot be read is named by what went wrong only.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sm3Hex } from '../../catalog/sm3.js';
import { evidenceOf } from '../../pipelines/lifecycle/objections.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'lb-evidence-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('objection evidence', () => {
  // Read as a stream in 1 MiB chunks (a file past 2 GiB cannot be read whole: ERR_FS_FILE_TOO_LARGE).
  // Hashing 2 GiB here took ~17 s of CPU; a few MiB that end mid-chunk show the chunks are joined
  // as one message, the same SM3 the catalog's sm3Hex gives for the bytes read whole.
  it('hashes a file read in chunks as the whole file', async () => {
    const file = join(dir, 'scan.bin');
    const bytes = randomBytes(3 * (1 << 20) + 12_345);
    await writeFile(file, bytes);
    expect(await evidenceOf(file)).toEqual({ sm3: sm3Hex(bytes), size: bytes.length });
  });

  it('a folder given as the file is refused with the error code, not its name', async () => {
    const folder = join(dir, '张三的材料');
    await mkdir(folder);
    const error = await evidenceOf(folder).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(String((error as Error)?.message)).toBe('objection: the evidence file cannot be read (EISDIR)');
    expect(String((error as Error)?.message)).not.toContain('张三');
  });
});
