/**
 * The evidence file of an objection: the ledger keeps its SM3 and size, whatever its size (the
 * column is a bigint) — a scanned or filmed piece of evidence may pass 2 GiB, which a read of the
 * whole file into memory refuses — and a file that cannot be read is named by what went wrong only.
 */
import { mkdir, mkdtemp, open, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { evidenceOf } from '../../pipelines/lifecycle/objections.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'lb-evidence-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('objection evidence', () => {
  it('hashes a file past 2 GiB', { timeout: 120_000 }, async () => {
    const file = join(dir, 'video.bin');
    const size = 2 ** 31 + 1;
    // Sparse: the bytes are zeros and take no disk.
    const handle = await open(file, 'w');
    await handle.truncate(size);
    await handle.close();
    // SM3 of 2^31 + 1 zero bytes, by OpenSSL through node:crypto's createHash outside this code.
    expect(await evidenceOf(file)).toEqual({
      sm3: '6f9d81cc9c80c44399635100cca33ca0cebd308417dbb8adf92ccc1b5a7cb173',
      size,
    });
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
