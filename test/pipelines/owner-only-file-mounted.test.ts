/**
 * A file bind-mounted into a container on its own (`-v /srv/lists/quarantine.csv:/out/q.csv`) is a
 * mount point: the new owner-only file renamed over it fails with EBUSY (EXDEV on some kernels),
 * and `quarantine export` / `reconcile --html` refused a file they used to overwrite. There they
 * now write into the file itself, owner-only before the first byte. The rename's failure is
 * simulated: a bind mount needs privileges a test does not have.
 */
import { mkdtemp, readdir, readFile, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

const renameFails = vi.hoisted(() => ({ code: undefined as string | undefined }));

vi.mock('node:fs/promises', async (importOriginal) => {
  const fs = await importOriginal<typeof import('node:fs/promises')>();
  const rename: typeof fs.rename = async (from, to) => {
    if (renameFails.code === undefined) return fs.rename(from, to);
    throw Object.assign(new Error(`${renameFails.code}: rename`), {
      code: renameFails.code,
      syscall: 'rename',
    });
  };
  return { ...fs, default: { ...fs, rename }, rename };
});

const { writeOwnerOnlyFile } = await import('../../pipelines/owner-only-file.js');

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'lb-owner-only-mounted-'));
});
afterEach(async () => {
  renameFails.code = undefined;
  await rm(dir, { recursive: true, force: true });
});

describe('writeOwnerOnlyFile onto a file that cannot be renamed over', () => {
  for (const code of ['EBUSY', 'EXDEV']) {
    it(`${code}: the file itself is written, owner-only, and no temporary file is left`, async () => {
      const file = join(dir, 'quarantine.csv');
      await writeFile(file, 'an older and longer list than the new one\n', { mode: 0o644 });
      const inode = (await stat(file)).ino;
      renameFails.code = code;
      await writeOwnerOnlyFile(file, 'key,code\n370211001,LB_MAP_DATE\n', 'quarantine export');
      expect(await readFile(file, 'utf8')).toBe('key,code\n370211001,LB_MAP_DATE\n');
      const after = await stat(file);
      expect(after.ino).toBe(inode);
      expect(after.mode & 0o777).toBe(0o600);
      expect(await readdir(dir)).toEqual(['quarantine.csv']);
    });
  }

  it('a link at the name is not followed into another file', async () => {
    const target = join(dir, 'elsewhere.txt');
    await writeFile(target, 'not to be overwritten\n', { mode: 0o644 });
    const file = join(dir, 'quarantine.csv');
    await symlink(target, file);
    renameFails.code = 'EBUSY';
    const e = await writeOwnerOnlyFile(file, 'list\n', 'quarantine export').then(
      () => undefined,
      (error: unknown) => error as Error,
    );
    expect(e?.message).toMatch(
      /^quarantine export: cannot write .*quarantine\.csv: it cannot be replaced \(mounted there\), and is no regular file to write into$/,
    );
    expect(await readFile(target, 'utf8')).toBe('not to be overwritten\n');
    expect((await stat(target)).mode & 0o777).toBe(0o644);
  });

  it('any other failure to rename is still said', async () => {
    const file = join(dir, 'quarantine.csv');
    await writeFile(file, 'old\n', { mode: 0o644 });
    renameFails.code = 'EACCES';
    const e = await writeOwnerOnlyFile(file, 'list\n', 'quarantine export').then(
      () => undefined,
      (error: unknown) => error as Error,
    );
    expect(e?.message).toBe(`quarantine export: cannot write ${file}: permission denied`);
    expect(await readFile(file, 'utf8')).toBe('old\n');
  });
});
