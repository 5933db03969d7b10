/**
 * `quarantine export` writes the worklist owner-only from its first byte. A file already there
 * with a wider mode (0644) was written into and narrowed afterwards: whoever had opened it kept
 * reading the new list through that open file after the chmod. Now a new 0600 file replaces it.
 */
import { mkdir, mkdtemp, open, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ErrorCodes, LicbridgeError } from '../../core/errors.js';
import { writeOwnerOnlyFile } from '../../pipelines/owner-only-file.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'lb-export-mode-'));
});
afterEach(async () => rm(dir, { recursive: true, force: true }));

describe('writeOwnerOnlyFile', () => {
  it('never writes the list into a file open to others', async () => {
    const file = join(dir, 'quarantine.csv');
    await writeFile(file, 'old list\n', { mode: 0o644 });
    // Opened while the file was readable by all, as another account could.
    const reader = await open(file, 'r');
    try {
      await writeOwnerOnlyFile(file, 'key,code\n370211001,LB_MAP_DATE\n', 'quarantine export');
      const seen = (await reader.readFile()).toString('utf8');
      expect(seen).toBe('old list\n');
    } finally {
      await reader.close();
    }
    expect((await stat(file)).mode & 0o777).toBe(0o600);
  });

  it('makes a new file owner-only', async () => {
    const file = join(dir, 'new.html');
    await writeOwnerOnlyFile(file, '<p>list</p>\n', 'quarantine export');
    expect((await stat(file)).mode & 0o777).toBe(0o600);
  });
});

describe('writeOwnerOnlyFile: a file it cannot write', () => {
  // The list goes through a hidden temporary file beside the target: a failure names the file the
  // command was given and why, never that temporary name, nor "no such file" for a file to be made.
  async function failure(file: string): Promise<LicbridgeError> {
    const e = await writeOwnerOnlyFile(file, 'list\n', 'quarantine export').then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(e).toBeInstanceOf(LicbridgeError);
    expect((e as LicbridgeError).code).toBe(ErrorCodes.USAGE);
    expect((e as LicbridgeError).message).not.toMatch(/\.tmp/);
    return e as LicbridgeError;
  }

  it('a folder at the target', async () => {
    const file = join(dir, 'quarantine.csv');
    await mkdir(file);
    expect((await failure(file)).message).toBe(
      `quarantine export: cannot write ${file}: it is a folder, not a file`,
    );
  });

  it('a file where its folder would be', async () => {
    await writeFile(join(dir, 'exports'), 'not a folder\n');
    const file = join(dir, 'exports', 'quarantine.csv');
    expect((await failure(file)).message).toBe(
      `quarantine export: cannot write ${file}: a part of its path is a file, not a folder`,
    );
  });

  it('a folder where no file can be made', async () => {
    const file = '/proc/quarantine.csv';
    expect((await failure(file)).message).toMatch(
      /^quarantine export: cannot write \/proc\/quarantine\.csv: (its folder takes no new file|permission denied)$/,
    );
  });
});
