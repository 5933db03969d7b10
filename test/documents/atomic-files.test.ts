// Writing a batch of files atomically: each file whole, replaced in place, no temporary left
// behind, whether the batch succeeds or fails.
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { writeFilesAtomic } from '../../adapters/documents/atomic-file.js';
import { LicenseFileStore } from '../../adapters/documents/file-store.js';
import { makeTempDir } from '../signers/helpers.js';

function allFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name));
}

describe('writeFilesAtomic', () => {
  let dir: string;
  let cleanup: () => void;
  beforeEach(() => {
    ({ dir, cleanup } = makeTempDir());
  });
  afterEach(() => cleanup());

  it('writes every file of a batch, replaces an existing one, and leaves no temporary file', async () => {
    mkdirSync(join(dir, 'b'));
    writeFileSync(join(dir, 'b/2.ofd'), 'old');
    const files = [
      { path: join(dir, 'a/1.ofd'), data: Buffer.from('one') },
      { path: join(dir, 'b/2.ofd'), data: Buffer.from('two') },
      { path: join(dir, 'b/3.ofd'), data: Buffer.from('three') },
    ];
    await writeFilesAtomic(files);
    for (const f of files) expect(readFileSync(f.path, 'utf8')).toBe(f.data.toString());
    expect(allFiles(dir).sort()).toEqual(files.map((f) => f.path).sort());
  });

  it('fails when one file cannot be put in place, removing every temporary file', async () => {
    // A folder where a file should go: its temporary file is written and flushed, the rename fails.
    mkdirSync(join(dir, 'b/2.ofd/inside'), { recursive: true });
    const files = [
      { path: join(dir, 'a/1.ofd'), data: Buffer.from('one') },
      { path: join(dir, 'b/2.ofd'), data: Buffer.from('two') },
    ];
    await expect(writeFilesAtomic(files)).rejects.toThrow();
    expect(allFiles(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('fails before writing anything when a folder cannot be made', async () => {
    writeFileSync(join(dir, 'taken'), 'a file where a folder should be');
    await expect(
      writeFilesAtomic([{ path: join(dir, 'taken/1.ofd'), data: Buffer.from('one') }]),
    ).rejects.toThrow();
    expect(allFiles(dir)).toEqual([join(dir, 'taken')]);
  });

  it('LicenseFileStore.putMany stores each file with its SM3 and size', async () => {
    const store = new LicenseFileStore(dir);
    const stored = await store.putMany([
      { typeCode: 'T1', licenseId: 'L.1', version: 1, bytes: Buffer.from('first') },
      { typeCode: 'T1', licenseId: 'L.2', version: 2, bytes: Buffer.from('second file') },
    ]);
    expect(stored.map((s) => [s.path, s.size])).toEqual([
      ['T1/L.1/001.ofd', 5],
      ['T1/L.2/002.ofd', 11],
    ]);
    expect(stored[0]?.sm3).toMatch(/^[0-9a-f]{64}$/);
    expect((await store.read('T1/L.2/002.ofd')).toString()).toBe('second file');
  });
});
