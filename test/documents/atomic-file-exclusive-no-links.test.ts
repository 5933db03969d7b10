// An exclusive write (writeFileAtomic `exclusive`, what `seal make` without --force uses) puts its
// file in place with a hard link, which never replaces a file. On a filesystem without hard links
// (some network and FUSE mounts answer ENOTSUP or EPERM) it claims the name with an empty file
// and renames over it instead: it still writes, and still never replaces a file already there.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { makeTempDir } from '../signers/helpers.js';

let linkFails: string | null = null;

vi.mock('node:fs/promises', async (importOriginal) => {
  const real = await importOriginal<typeof import('node:fs/promises')>();
  return {
    ...real,
    link: async (...args: Parameters<typeof real.link>) => {
      if (linkFails !== null)
        throw Object.assign(new Error(`${linkFails}: operation not supported, link`), { code: linkFails });
      return real.link(...args);
    },
  };
});

const { writeFileAtomic } = await import('../../adapters/documents/atomic-file.js');

describe('an exclusive write where the filesystem has no hard links', () => {
  let dir: string;
  let cleanup: () => void;
  beforeEach(() => {
    ({ dir, cleanup } = makeTempDir());
  });
  afterEach(() => {
    linkFails = null;
    cleanup();
  });

  it.each(['ENOTSUP', 'EPERM'])('writes the file when link answers %s', async (code) => {
    linkFails = code;
    const file = join(dir, 'unit.esl');
    await writeFileAtomic(file, Buffer.from('seal'), { exclusive: true });
    expect(readFileSync(file, 'utf8')).toBe('seal');
    expect(readdirSync(dir)).toEqual(['unit.esl']);
  });

  it('still refuses to replace a file already there, leaving it and no temporary file', async () => {
    linkFails = 'ENOTSUP';
    const file = join(dir, 'unit.esl');
    writeFileSync(file, 'first');
    await expect(writeFileAtomic(file, Buffer.from('second'), { exclusive: true })).rejects.toMatchObject({
      code: 'EEXIST',
    });
    expect(readFileSync(file, 'utf8')).toBe('first');
    expect(readdirSync(dir)).toEqual(['unit.esl']);
  });
});
