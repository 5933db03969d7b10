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
/** The file whose write into stops half-way with ENOSPC (a full disk), when set. */
const writeStops = vi.hoisted(() => ({ file: undefined as string | undefined, emptyingFails: false }));

vi.mock('node:fs/promises', async (importOriginal) => {
  const fs = await importOriginal<typeof import('node:fs/promises')>();
  const rename: typeof fs.rename = async (from, to) => {
    if (renameFails.code === undefined) return fs.rename(from, to);
    throw Object.assign(new Error(`${renameFails.code}: rename`), {
      code: renameFails.code,
      syscall: 'rename',
    });
  };
  const open: typeof fs.open = async (path, ...rest) => {
    const handle = await fs.open(path, ...rest);
    if (path !== writeStops.file) return handle;
    let truncated = 0;
    return new Proxy(handle, {
      get(target, key) {
        // The first truncate empties the file before the write; a second, after it failed, fails too.
        if (key === 'truncate' && writeStops.emptyingFails)
          return async (length?: number) => {
            if (++truncated > 1)
              throw Object.assign(new Error('EIO: i/o error, ftruncate'), {
                code: 'EIO',
                syscall: 'ftruncate',
              });
            return target.truncate(length);
          };
        if (key === 'writeFile')
          return async (data: Buffer) => {
            await target.write(data.subarray(0, data.length >> 1));
            throw Object.assign(new Error('ENOSPC: no space left on device, write'), {
              code: 'ENOSPC',
              syscall: 'write',
            });
          };
        const value = Reflect.get(target, key, target);
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
  };
  return { ...fs, default: { ...fs, rename, open }, rename, open };
});

const { writeOwnerOnlyFile } = await import('../../pipelines/owner-only-file.js');

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'lb-owner-only-mounted-'));
});
afterEach(async () => {
  renameFails.code = undefined;
  writeStops.file = undefined;
  writeStops.emptyingFails = false;
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

  it('a write cut short (a full disk) leaves the file empty, not the first part of the list', async () => {
    const file = join(dir, 'quarantine.csv');
    await writeFile(file, 'old\n', { mode: 0o644 });
    renameFails.code = 'EBUSY';
    writeStops.file = file;
    const rows = Array.from({ length: 40 }, (_, i) => `37021100${i},LB_MAP_DATE`).join('\n');
    const e = await writeOwnerOnlyFile(file, `key,code\n${rows}\n`, 'quarantine export').then(
      () => undefined,
      (error: unknown) => error as Error,
    );
    // Half a worklist reads as a whole one with fewer rows; an empty file is plainly no export.
    expect(await readFile(file, 'utf8')).toBe('');
    expect(e?.message).toBe(
      `quarantine export: cannot write ${file}: no space left on its disk; the file, mounted there and written into, is left empty`,
    );
  });

  it('a write cut short whose file cannot be emptied again says the file holds its first part, cut short', async () => {
    const file = join(dir, 'quarantine.csv');
    await writeFile(file, 'old\n', { mode: 0o644 });
    renameFails.code = 'EBUSY';
    writeStops.file = file;
    writeStops.emptyingFails = true;
    const body = `key,code\n${Array.from({ length: 40 }, (_, i) => `37021100${i},LB_MAP_DATE`).join('\n')}\n`;
    const e = await writeOwnerOnlyFile(file, body, 'quarantine export').then(
      () => undefined,
      (error: unknown) => error as Error,
    );
    // The first half is there: the message must not say the file is empty.
    expect(await readFile(file, 'utf8')).toBe(body.slice(0, body.length >> 1));
    expect(e?.message).toBe(
      `quarantine export: cannot write ${file}: no space left on its disk; the file, mounted there and written into, holds the part written before the failure, cut short (emptying it failed too: EIO): do not take it for the whole file; empty it or run the command again`,
    );
  });
});
